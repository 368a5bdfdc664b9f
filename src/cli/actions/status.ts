// `asmvs status`: a request's job-status history and where it stands; the exit code says it.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { escapeForTerminal } from '../escape.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_RUNNING } from '../exit.ts';
import { jobStatusText } from '../status-line.ts';

export async function status(requestId: string, opts: { json?: boolean }): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const { statuses, outcome } = await app.status(requestId, AbortSignal.timeout(60_000));
    if (opts.json) process.stdout.write(`${JSON.stringify({ requestId, outcome, statuses }, null, 2)}\n`);
    else {
      for (const s of statuses) {
        process.stdout.write(`${jobStatusText(s)}\n`);
      }
      const summary =
        outcome.state === 'completed'
          ? `completed: ${outcome.summary}`
          : outcome.state === 'failed'
            ? `failed in ${outcome.stage}: ${escapeForTerminal(outcome.reason)}`
            : statuses.length === 0
              ? 'unknown request (no job status retained)'
              : 'running';
      process.stdout.write(`${summary}\n`);
    }
    process.exitCode =
      outcome.state === 'completed' ? EXIT_OK : outcome.state === 'failed' ? EXIT_FAILED : EXIT_RUNNING;
  } finally {
    await app.close();
  }
}
