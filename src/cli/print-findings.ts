// Prints findings as the output options ask (scan and normalize): filtered by --severity, as a table or an export,
// to stdout or --output; a summary line for people (stderr when the table went to a file); exit 4 under --fail-on.
import { exportChunks, type ExportContext } from '../app/exports.ts';
import { reaches, withSeverities, type Finding } from '../app/findings.ts';
import { EXIT_FINDINGS } from './exit.ts';
import { findingLines } from './findings-table.ts';
import { outputFormatOf, type OutputOptions } from './output-options.ts';
import type { Sink } from './output-sink.ts';

export async function printFindings(
  sink: Sink,
  all: readonly Finding[],
  options: OutputOptions & { readonly quiet?: boolean },
  context: ExportContext,
  /** The summary line, given how many findings were printed. */
  summary: (printed: number) => string,
): Promise<void> {
  const findings = withSeverities(all, options.severity);
  const format = outputFormatOf(options);
  const chunks = format === 'table' ? findingLines(findings) : await exportChunks(format, findings, context);
  for (const chunk of chunks) await sink.write(chunk);
  if (format === 'table' && !options.quiet) {
    const line = `${summary(findings.length)}${findings.length < all.length ? ` (${all.length} before --severity)` : ''}\n`;
    if (options.output === undefined) await sink.write(`\n${line}`);
    else process.stderr.write(line);
  }
  if (options.failOn && reaches(findings, options.failOn)) process.exitCode = EXIT_FINDINGS;
}
