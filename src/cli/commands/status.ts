// asmvs status <requestId> [--json]: the request's job-status history and outcome. Exit 0 completed,
// 1 failed, 3 still running or unknown.
import { Command } from 'commander';
import { requestStatus } from '../../app/request-status.ts';
import { loadConfig } from '../../config/load.ts';
import { escapeForTerminal } from '../escape.ts';

export const EXIT_RUNNING = 3;

export function statusCommand(): Command {
  return new Command('status')
    .description("print a request's job status (exit 0 completed, 1 failed, 3 running or unknown)")
    .argument('<requestId>')
    .option('--json', 'print JSON')
    .action(async (requestId: string, opts: { json?: boolean }) => {
      const { statuses, outcome } = await requestStatus(loadConfig(), requestId, AbortSignal.timeout(60_000));
      if (opts.json) process.stdout.write(`${JSON.stringify({ requestId, outcome, statuses }, null, 2)}\n`);
      else {
        for (const s of statuses) {
          process.stdout.write(
            `${new Date(s.producedAt).toISOString()} ${s.stage} ${s.state.toLowerCase()}${s.message ? `: ${escapeForTerminal(s.message)}` : ''}\n`,
          );
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
      process.exitCode = outcome.state === 'completed' ? 0 : outcome.state === 'failed' ? 1 : EXIT_RUNNING;
    });
}
