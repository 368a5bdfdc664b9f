// How `scan` and `normalize` print findings, as trivy and nuclei users expect: one selector, -f/--format
// table|json|sarif|ocsf|dojo|html (--json and --sarif are its shorthands; any two of them conflict), -o/--output FILE,
// --severity to keep some severities, and --fail-on to exit 4 when a finding at or above a severity is printed.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { OUTPUT_FORMATS, REPORT_FORMATS, SEVERITIES, type OutputFormat } from '../app/names.ts';
import type { Severity } from '../app/findings.ts';

export interface OutputOptions {
  format?: OutputFormat;
  json?: boolean;
  sarif?: boolean;
  ocsf?: boolean;
  output?: string;
  severity?: Severity[];
  failOn?: Severity;
}

function severity(text: string): Severity {
  const s = text.trim().toUpperCase();
  if (s === 'INFORMATIONAL' || s === 'NONE') return 'INFO';
  if (!(SEVERITIES as readonly string[]).includes(s))
    throw new InvalidArgumentError(
      `${JSON.stringify(text)} is not a severity (${SEVERITIES.join(', ').toLowerCase()})`,
    );
  return s as Severity;
}

function severities(text: string): Severity[] {
  return [...new Set(text.split(',').map(severity))];
}

function outputFormat(text: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(text)) return text as OutputFormat;
  // `normalize --format trivy` meant the report's format before 0.2: say where that went.
  const input = (REPORT_FORMATS as readonly string[]).some((f) => f === text || f.startsWith(`${text}-`));
  throw new InvalidArgumentError(
    `${JSON.stringify(text)} is not an output format (${OUTPUT_FORMATS.join(', ')})` +
      (input ? `; the report's format is --input-format ${text}` : ''),
  );
}

export function addOutputOptions(command: Command, shorthands: readonly ('json' | 'sarif' | 'ocsf')[]): Command {
  const selectors = ['format', ...shorthands];
  command.addOption(
    new Option('-f, --format <format>', `output format: ${OUTPUT_FORMATS.join(', ')} (default table)`)
      .argParser(outputFormat)
      .conflicts([...shorthands]),
  );
  for (const s of shorthands)
    command.addOption(new Option(`--${s}`, `the same as --format ${s}`).conflicts(selectors.filter((x) => x !== s)));
  return command
    .option('-o, --output <file>', 'write the findings to this file instead of stdout')
    .addOption(
      new Option('--severity <list>', 'only findings of these severities, e.g. high,critical').argParser(severities),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 4 when a finding at or above this severity is printed').argParser(
        severity,
      ),
    );
}

export function outputFormatOf(o: OutputOptions): OutputFormat {
  return o.format ?? (o.json ? 'json' : o.sarif ? 'sarif' : o.ocsf ? 'ocsf' : 'table');
}
