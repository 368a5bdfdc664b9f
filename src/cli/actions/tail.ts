// `asmvs tail`: JSON lines until --max, the end (-e), or Ctrl-C.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { AsmvsError } from '../../app/errors.ts';
import { parseStartAt } from '../../app/tail.ts';
import { interruptible } from '../interrupt.ts';
import { toJsonLine } from '../json-line.ts';

interface TailOptions {
  offset?: string;
  fromBeginning?: boolean;
  partition?: string;
  exitAtEnd?: boolean;
  max?: string;
}

function whole(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min)
    throw new AsmvsError('USAGE', `${name} must be a whole number of at least ${min}, got ${JSON.stringify(text)}`);
  return n;
}

export async function tail(topic: string, opts: TailOptions): Promise<void> {
  const max = whole('--max', opts.max, 1) ?? Infinity;
  const partition = whole('--partition', opts.partition, 0);
  const from = parseStartAt(opts.fromBeginning ? 'beginning' : (opts.offset ?? 'end'));
  const app = createApp(appConfig(['kafka', 'registry']));
  const interrupt = interruptible();
  let printed = 0;
  try {
    await app.tail(topic, { from, toEnd: opts.exitAtEnd === true, signal: interrupt.signal, partition }, (r) => {
      process.stdout.write(`${toJsonLine(r)}\n`);
      printed += 1;
      return printed >= max ? 'stop' : undefined;
    });
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
  } finally {
    interrupt.dispose();
    await app.close();
  }
}
