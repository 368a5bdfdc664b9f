// `asmvs normalize`: a report from disk or stdin, printed as findings in the chosen format.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { byRisk } from '../../app/finding-order.ts';
import { VERSION } from '../../app/version.ts';
import { escapeForTerminal } from '../escape.ts';
import { openSink } from '../output-sink.ts';
import { outputFormatOf, type OutputOptions } from '../output-options.ts';
import { printFindings } from '../print-findings.ts';

interface NormalizeOptions extends OutputOptions {
  inputFormat?: string;
  target?: string;
  quiet?: boolean;
}

export async function normalize(report: string, opts: NormalizeOptions): Promise<void> {
  const app = createApp(appConfig());
  const sink = await openSink(opts.output);
  const startedAt = Date.now();
  try {
    const input = report === '-' ? { stream: process.stdin, name: 'stdin' } : { path: report };
    const result = await app.normalize(input, {
      ...(opts.inputFormat !== undefined ? { format: opts.inputFormat } : {}),
      ...(opts.target !== undefined ? { target: opts.target } : {}),
    });
    const name = report === '-' ? 'stdin' : report;
    await printFindings(
      sink,
      // the table most severe first; exports in the report's order
      outputFormatOf(opts) === 'table' ? [...result.findings].sort(byRisk) : result.findings,
      opts,
      {
        version: VERSION,
        arguments: process.argv.slice(2),
        subject: opts.target ?? name,
        startedAt,
        finishedAt: Date.now(),
        complete: result.complete,
      },
      (n) =>
        `${n} findings from ${escapeForTerminal(name)} (${result.format})${result.complete ? '' : ' (the report says it is partial)'}`,
    );
  } finally {
    await sink.end();
  }
}
