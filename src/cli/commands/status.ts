// asmvs status <requestId> [--json]: the request's job-status history and outcome. Exit 0 completed,
// 1 failed, 3 still running or unknown.
import { Command } from 'commander';
import { lazy } from '../lazy.ts';

export function statusCommand(): Command {
  return new Command('status')
    .description("print a request's job status (exit 0 completed, 1 failed, 3 running or unknown)")
    .argument('<requestId>')
    .option('--json', 'print JSON')
    .action(lazy(async () => (await import('../actions/status.ts')).status));
}
