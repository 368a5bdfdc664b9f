// asmvs normalize <report-file|-> [--format <fmt>] [--json|--ocsf|--sarif] [--target <name>]
// Imports an existing scanner report: the parsers and mapping of vs_normalization, no infrastructure.
import { Command } from 'commander';
import { byRisk } from '../../app/finding-order.ts';
import { normalizeReport } from '../../app/normalize-report.ts';
import { AsmvsError } from '../../errors.ts';
import { FORMATS, toOcsf, toSarif } from '../../normalizers/index.ts';
import { escapeForTerminal } from '../escape.ts';
import { renderFindings } from '../findings-table.ts';

interface NormalizeOptions {
  format?: string;
  target?: string;
  json?: boolean;
  ocsf?: boolean;
  sarif?: boolean;
}

export function normalizeCommand(): Command {
  return new Command('normalize')
    .description('normalize a scanner report (file, or - for stdin) into platform findings and print them')
    .argument('<report>', 'the report file, or - to read stdin')
    .option('--format <format>', `the report's format (detected when absent): ${FORMATS.join(', ')}`)
    .option('--target <name>', 'the scan target recorded with the findings (default: the file name)')
    .option('--json', 'print the findings as a JSON array (the finding schema)')
    .option('--ocsf', 'print the findings as a JSON array of OCSF Vulnerability Findings (class 2002)')
    .option('--sarif', 'print the findings as SARIF 2.1.0')
    .action(async (report: string, opts: NormalizeOptions) => {
      if ([opts.json, opts.ocsf, opts.sarif].filter(Boolean).length > 1) {
        throw new AsmvsError('USAGE', 'choose one of --json, --ocsf and --sarif');
      }
      const input = report === '-' ? { stream: process.stdin, name: 'stdin' } : { path: report };
      const result = await normalizeReport(input, {
        ...(opts.format !== undefined ? { format: opts.format } : {}),
        ...(opts.target !== undefined ? { target: opts.target } : {}),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(result.findings, null, 2)}\n`);
      else if (opts.ocsf) process.stdout.write(`${JSON.stringify(result.findings.map(toOcsf), null, 2)}\n`);
      else if (opts.sarif) process.stdout.write(`${JSON.stringify(toSarif(result.findings), null, 2)}\n`);
      else {
        process.stdout.write(renderFindings([...result.findings].sort(byRisk)));
        const partial = result.complete ? '' : ' (the report says it is partial)';
        process.stdout.write(
          `\n${result.findings.length} findings from ${escapeForTerminal(report === '-' ? 'stdin' : report)} (${result.format})${partial}\n`,
        );
      }
    });
}
