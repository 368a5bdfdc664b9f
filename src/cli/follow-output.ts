// Prints a request's job status as it changes and sets the exit code to its outcome.
import type { Config } from '../config/config.ts';
import { AsmvsError } from '../errors.ts';
import { followJob } from '../app/follow-job.ts';
import { readJobEvent } from '../processors/job-events.ts';
import { escapeForTerminal } from './escape.ts';
import { statusLine } from './status-line.ts';

export async function followAndReport(
  config: Config,
  requestId: string,
  from: Readonly<Record<number, string>> | 'earliest',
  timeoutSeconds: string,
  kind: 'discovery' | 'scan' = 'discovery',
): Promise<void> {
  const seconds = Number(timeoutSeconds);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new AsmvsError(
      'USAGE',
      `--timeout must be a positive number of seconds, got ${JSON.stringify(timeoutSeconds)}`,
    );
  const controller = new AbortController();
  // On a terminal, a range's host counts rewrite one line (stderr) instead of a line a second.
  const live = process.stdout.isTTY === true ? statusLine(process.stderr) : undefined;
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const outcome = await followJob(config, requestId, from, {
      timeoutMs: seconds * 1000,
      kind,
      signal: controller.signal,
      onStatus: (s) => {
        const event = readJobEvent(s);
        if (live && event?.type === 'hosts' && !event.complete) return live.show(s);
        live?.clear();
        process.stdout.write(
          `${new Date(s.producedAt).toISOString()} ${s.stage} ${s.state.toLowerCase()}${s.message ? `: ${escapeForTerminal(s.message)}` : ''}\n`,
        );
      },
    });
    if (outcome.state === 'completed') process.stdout.write(`completed: ${outcome.summary}\n`);
    else {
      process.stdout.write(`failed in ${outcome.stage}: ${escapeForTerminal(outcome.reason)}\n`);
      process.exitCode = 1;
    }
  } finally {
    live?.clear();
    process.off('SIGINT', interrupt);
  }
}
