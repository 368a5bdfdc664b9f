// The only doors to the network and to processes. Scanners receive them in their context, so tests can hand in
// spies that prove a rejected target caused no socket and no process.
import { spawn as nodeSpawn, type ChildProcessByStdio } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import type { Readable } from 'node:stream';
import { connectProbe, type ConnectProbe } from './connect-probe.ts';

export interface ConnectOptions {
  /** An address that has passed the scope check: never a name, so nothing resolves it again. */
  readonly address: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Wrap in TLS; `servername` sets SNI. Certificates are inspected, never trusted or rejected. */
  readonly tls?: {
    readonly servername?: string;
    readonly minVersion?: tls.SecureVersion;
    readonly maxVersion?: tls.SecureVersion;
    readonly ciphers?: string;
  };
}

export type SpawnedProcess = ChildProcessByStdio<null, Readable, Readable>;

export interface ScannerIo {
  connect(options: ConnectOptions): Promise<net.Socket>;
  /** One bare connect, closed again at once: the ping's and the port scan's door, thousands a second (connect-probe.ts). */
  probeConnect: ConnectProbe;
  spawn(command: string, args: readonly string[], options: { signal?: AbortSignal }): SpawnedProcess;
}

export class ConnectError extends Error {
  readonly kind: 'refused' | 'timeout' | 'unreachable' | 'aborted' | 'tls';
  constructor(kind: ConnectError['kind'], message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'ConnectError';
    this.kind = kind;
  }
}

function classify(error: NodeJS.ErrnoException): ConnectError['kind'] {
  if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET') return 'refused';
  if (error.code === 'ETIMEDOUT') return 'timeout';
  if (error.code === 'ABORT_ERR') return 'aborted';
  return error.code?.startsWith('ERR_SSL') || error.code?.startsWith('ERR_TLS') ? 'tls' : 'unreachable';
}

function connect(options: ConnectOptions): Promise<net.Socket> {
  if (net.isIP(options.address) === 0)
    return Promise.reject(new ConnectError('unreachable', `not an address: ${options.address}`));
  return new Promise((resolve, reject) => {
    const socket: net.Socket = options.tls
      ? tls.connect({
          host: options.address,
          port: options.port,
          servername:
            options.tls.servername && net.isIP(options.tls.servername) === 0 ? options.tls.servername : undefined,
          rejectUnauthorized: false,
          minVersion: options.tls.minVersion,
          maxVersion: options.tls.maxVersion,
          ciphers: options.tls.ciphers,
        })
      : net.connect({ host: options.address, port: options.port });
    const event = options.tls ? 'secureConnect' : 'connect';
    const timer = setTimeout(
      () => fail(new ConnectError('timeout', `connect to ${options.address}:${options.port} timed out`)),
      options.timeoutMs,
    );
    const onAbort = () => fail(new ConnectError('aborted', 'aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    function cleanup(): void {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
    }
    function fail(error: ConnectError): void {
      cleanup();
      socket.destroy();
      reject(error);
    }
    function onError(error: NodeJS.ErrnoException): void {
      fail(new ConnectError(classify(error), error.message, error));
    }
    socket.once('error', onError);
    socket.once(event, () => {
      cleanup();
      resolve(socket);
    });
    if (options.signal?.aborted) onAbort();
  });
}

function spawn(command: string, args: readonly string[], options: { signal?: AbortSignal }): SpawnedProcess {
  // An argument array and shell: false: nothing in a target can be read by a shell.
  return nodeSpawn(command, [...args], {
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
    windowsHide: true,
  });
}

export const nodeIo: ScannerIo = { connect, spawn, probeConnect: connectProbe };
