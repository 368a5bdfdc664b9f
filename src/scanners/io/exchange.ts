// One request/response over TCP (or TLS): optionally send bytes, read until the reply is complete, the peer
// closes, the byte cap is reached or time runs out. Whatever arrived is returned as data, never interpreted here.
import type net from 'node:net';
import type { ConnectOptions, ScannerIo } from './scanner-io.ts';

export interface ExchangeOptions extends ConnectOptions {
  readonly send?: Buffer;
  /** Stop reading once this says the reply is complete. */
  readonly complete?: (data: Buffer) => boolean;
  readonly maxBytes: number;
  /** How long to wait for the reply after connecting. */
  readonly readTimeoutMs: number;
}

export interface ExchangeResult {
  readonly data: Buffer;
  readonly truncated: boolean;
  readonly closed: boolean;
  readonly socket?: net.Socket;
}

/** Reads from an open socket until done; leaves the socket open. */
export function readReply(
  socket: net.Socket,
  options: Pick<ExchangeOptions, 'complete' | 'maxBytes' | 'readTimeoutMs' | 'signal'>,
): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (truncated: boolean, closed: boolean) => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      socket.removeListener('error', onClose);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ data: Buffer.concat(chunks, size), truncated, closed });
    };
    const onData = (chunk: Buffer) => {
      const room = options.maxBytes - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (chunk.length > room) return finish(true, false);
      if (options.complete?.(Buffer.concat(chunks, size))) finish(false, false);
    };
    const onClose = () => finish(false, true);
    const onAbort = () => finish(false, false);
    const timer = setTimeout(() => finish(false, false), options.readTimeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function exchange(io: ScannerIo, options: ExchangeOptions): Promise<ExchangeResult> {
  const socket = await io.connect(options);
  try {
    if (options.send) socket.write(options.send);
    return await readReply(socket, options);
  } finally {
    socket.destroy();
  }
}
