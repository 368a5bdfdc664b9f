// asmvs normalize <report-file|-> [--input-format f] [-f table|json|sarif|ocsf|dojo|html] [-o file] [--severity …]
// Imports an existing scanner report: the parsers and mapping of vs_normalization, no infrastructure.
import { Command } from 'commander';
import { REPORT_FORMATS } from '../../app/names.ts';
import { lazy } from '../lazy.ts';
import { addOutputOptions } from '../output-options.ts';

export function normalizeCommand(): Command {
  const command = new Command('normalize')
    .description('normalize a scanner report (file, or - for stdin) into platform findings and print them')
    .argument('<report>', 'the report file, or - to read stdin')
    .option('--input-format <format>', `the report's format (detected when absent): ${REPORT_FORMATS.join(', ')}`)
    .option('--target <name>', 'the scan target recorded with the findings (default: the file name)');
  addOutputOptions(command, ['json', 'sarif', 'ocsf']);
  return command
    .option('-q, --quiet', 'print the findings only, no summary line')
    .action(lazy(async () => (await import('../actions/normalize.ts')).normalize));
}
