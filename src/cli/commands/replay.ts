// asmvs replay raw-findings --from earliest|<ISO time> [--group g]
import { Command } from 'commander';
import { replayRawFindings } from '../../app/replay.ts';
import { formatProgress } from '../../app/replay-progress.ts';
import { loadConfig } from '../../config/load.ts';
import { AsmvsError } from '../../errors.ts';

function parseFrom(text: string): 'earliest' | Date {
  if (text === 'earliest') return 'earliest';
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new AsmvsError(
      'USAGE',
      `--from must be "earliest" or an ISO time such as 2026-11-28T00:00:00Z, got ${JSON.stringify(text)}`,
    );
  return at;
}

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
    .action(async (topic: string, opts: { from: string; group?: string; to?: string }) => {
      if (topic !== 'raw-findings')
        throw new AsmvsError('USAGE', `only raw-findings can be replayed, got ${JSON.stringify(topic)}`);
      const from = parseFrom(opts.from);
      const config = loadConfig();
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const tty = process.stderr.isTTY === true;
      const last = await replayRawFindings(config, {
        from,
        ...(opts.group ? { groupId: opts.group } : {}),
        ...(opts.to ? { to: opts.to } : {}),
        signal: controller.signal,
        onProgress: (p) => tty && process.stderr.write(`\r\x1b[2K${formatProgress(p)}`),
      });
      if (tty) process.stderr.write('\r\x1b[2K');
      process.stdout.write(`${last.finished ? 'replayed' : 'interrupted after'} ${formatProgress(last)}\n`);
      if (!last.finished) process.exitCode = 1;
    });
}
