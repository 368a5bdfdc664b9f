// Prints a submitted request's job status as it changes and sets the exit code to its outcome.
import type { Submitted } from '../app/app.ts';
import { AsmvsError } from '../app/errors.ts';
import { readJobEvent } from '../app/job-events.ts';
import { escapeForTerminal } from './escape.ts';
import { interruptible } from './interrupt.ts';
import { jobStatusText, statusLine } from './status-line.ts';

const DEFAULT_TIMEOUT_S = 600;

export async function followAndReport(
  submitted: Submitted,
  options: { readonly timeout?: string; readonly quiet?: boolean },
): Promise<void> {
  const seconds = options.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(options.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new AsmvsError(
      'USAGE',
      `--timeout must be a positive number of seconds, got ${JSON.stringify(options.timeout)}`,
    );
  // On a terminal, a range's host counts rewrite one line (stderr) instead of a line a second.
  const live = process.stdout.isTTY === true && !options.quiet ? statusLine(process.stderr) : undefined;
  const interrupt = interruptible();
  try {
    const outcome = await submitted.follow({
      timeoutMs: seconds * 1000,
      signal: interrupt.signal,
      onStatus: (s) => {
        if (options.quiet) return;
        const event = readJobEvent(s);
        if (live && event?.type === 'hosts' && !event.complete) return live.show(s);
        live?.clear();
        process.stdout.write(`${jobStatusText(s)}\n`);
      },
    });
    if (outcome.state === 'completed') process.stdout.write(`completed: ${outcome.summary}\n`);
    else {
      process.stdout.write(`failed in ${outcome.stage}: ${escapeForTerminal(outcome.reason)}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    // Interrupted: the request goes on without us; say how to look at it again.
    if (!interrupt.signal.aborted) throw error;
    process.stderr.write(`stopped following; \`asmvs status ${submitted.requestId}\` shows where it stands\n`);
  } finally {
    live?.clear();
    interrupt.dispose();
  }
}
