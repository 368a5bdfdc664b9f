// `asmvs replay`: normalization re-run over raw-findings, progress on a TTY; Ctrl-C stops it where it is.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { AsmvsError } from '../../app/errors.ts';
import { formatProgress } from '../../app/replay-progress.ts';
import { interruptible } from '../interrupt.ts';

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

export async function replay(
  topic: string,
  opts: { from: string; group?: string; to?: string; quiet?: boolean },
): Promise<void> {
  if (topic !== 'raw-findings')
    throw new AsmvsError('USAGE', `only raw-findings can be replayed, got ${JSON.stringify(topic)}`);
  const from = parseFrom(opts.from);
  const app = createApp(appConfig(['kafka', 'registry']));
  const interrupt = interruptible();
  const tty = process.stderr.isTTY === true && !opts.quiet;
  try {
    const last = await app.replay({
      from,
      groupId: opts.group,
      to: opts.to,
      signal: interrupt.signal,
      onProgress: (p) => tty && process.stderr.write(`\r\x1b[2K${formatProgress(p)}`),
    });
    if (tty) process.stderr.write('\r\x1b[2K');
    process.stdout.write(`${last.finished ? 'replayed' : 'interrupted after'} ${formatProgress(last)}\n`);
  } finally {
    interrupt.dispose();
    await app.close();
  }
}
