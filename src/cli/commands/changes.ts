// asmvs changes [--since <time>] [--follow] [--json] [--asset <id>] [--kind <KIND>]: what changed on the attack
// surface (asset-changes), as readable lines or JSON lines; --follow keeps printing until interrupted.
import { Command } from 'commander';
import { lazy } from '../lazy.ts';

export function changesCommand(): Command {
  return new Command('changes')
    .description('print what changed on the attack surface (asset-changes); --follow keeps printing new changes')
    .option('--since <time>', 'only changes observed since: an ISO-8601 time, or a duration ago (90m, 1h, 7d)')
    .option('--follow', 'keep printing new changes until interrupted')
    .option('--json', 'one JSON object per change and line')
    .option('--asset <id>', 'only changes of this asset')
    .option('--kind <kind>', 'only changes of this kind, e.g. PORT_OPENED')
    .action(lazy(async () => (await import('../actions/changes.ts')).changes));
}
