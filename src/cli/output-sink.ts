// Where a command's result goes: stdout, or the file of -o/--output, opened before the work starts (a path that
// cannot be written is a usage error before any scan). Writes wait when the stream's buffer is full, so a large
// output streams in bounded memory.
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AsmvsError } from '../app/errors.ts';

export interface Sink {
  write(chunk: string): Promise<void>;
  /** Flushes and closes a file; stdout stays open. */
  end(): Promise<void>;
  /** Whether a person reads it (stdout on a terminal). */
  readonly terminal: boolean;
}

function sinkOf(stream: Writable, close: () => Promise<void>, terminal: boolean): Sink {
  return {
    terminal,
    async write(chunk) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    end: close,
  };
}

export async function openSink(path: string | undefined): Promise<Sink> {
  if (path === undefined || path === '-')
    return sinkOf(process.stdout, async () => undefined, process.stdout.isTTY === true);
  const handle = await open(path, 'w').catch((error: unknown) => {
    throw new AsmvsError('USAGE', `--output ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code}`, {
      cause: error,
    });
  });
  const stream = handle.createWriteStream();
  return sinkOf(
    stream,
    async () => {
      stream.end();
      await once(stream, 'close');
    },
    false,
  );
}
