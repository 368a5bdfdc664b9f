// asmvs replay raw-findings --from earliest|<ISO time> [--group g] [--to topic]
import { Command } from 'commander';
import { lazy } from '../lazy.ts';

export function replayCommand(): Command {
  return new Command('replay')
    .description('re-run normalization over retained raw findings (same finding ids: an upsert of what is there)')
    .argument('<topic>', 'raw-findings')
    .requiredOption('--from <point>', 'earliest, or an ISO time')
    .option(
      '--group <id>',
      'the consumer group to move (default: the vs_normalization group; must have no live members)',
    )
    .option('--to <topic>', 'write the findings to this topic instead (side by side; live topics and group untouched)')
    .option('-q, --quiet', 'no progress line')
    .action(lazy(async () => (await import('../actions/replay.ts')).replay));
}
