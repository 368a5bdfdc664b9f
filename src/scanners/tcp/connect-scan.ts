// TCP connect scan: thousands of sockets in flight at once (bounded), each port open, closed (RST) or filtered
// (no answer before the adaptive timeout; retried once, as nmap does). The address must already be scope-checked.
import type net from 'node:net';
import { AsmvsError } from '../../errors.ts';
import type { ScannerIo } from '../io/scanner-io.ts';
import type { ConnectBudget } from './connect-budget.ts';
import { rttEstimator } from './rtt-estimator.ts';

export type PortState = 'open' | 'closed' | 'filtered';

export interface PortScanOptions {
  readonly address: string;
  readonly ports: readonly number[];
  readonly io: ScannerIo;
  readonly signal?: AbortSignal;
  /** Sockets in flight at once. */
  readonly concurrency?: number;
  readonly initialTimeoutMs?: number;
  readonly minTimeoutMs?: number;
  readonly maxTimeoutMs?: number;
  /** Extra attempts for ports that did not answer. */
  readonly retries?: number;
  /** The process's connection caps (host_scan): a socket opens only when the budget gives it a slot. */
  readonly budget?: ConnectBudget;
}

export interface PortScanResult {
  readonly open: number[];
  readonly filtered: number[];
  readonly closedCount: number;
  readonly durationMs: number;
  /**
   * The quickest answer (open or closed), each timed from its connect call: every answer's time includes how busy
   * this process was, and the quickest includes the least of that. Null when no port answered.
   */
  readonly fastestRttMs: number | null;
}

// Errors that say nothing about the port but that we ran out of something locally: try the port again later.
const LOCAL_PRESSURE = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'ENOBUFS', 'EAGAIN']);

export function scanTcpPorts(options: PortScanOptions): Promise<PortScanResult> {
  const started = performance.now();
  const rtt = rttEstimator({
    initialMs: options.initialTimeoutMs ?? 1000,
    minMs: options.minTimeoutMs ?? 250,
    maxMs: options.maxTimeoutMs ?? 3000,
  });
  let limit = options.concurrency ?? 1024;
  const retries = options.retries ?? 1;
  const queue: number[] = [...options.ports];
  const attempts = new Map<number, number>();
  const open: number[] = [];
  const filtered: number[] = [];
  const live = new Set<net.Socket>();
  let closedCount = 0;
  let fastestRttMs: number | null = null;
  const answeredIn = (rttMs: number) => {
    rtt.observe(rttMs);
    if (fastestRttMs === null || rttMs < fastestRttMs) fastestRttMs = rttMs;
  };
  let next = 0;
  let inFlight = 0;

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(sweep);
      options.signal?.removeEventListener('abort', onAbort);
      for (const socket of live) socket.destroy();
      for (let n = live.size; n > 0; n--) options.budget?.give();
      if (error) reject(error);
      else
        resolve({
          open: open.sort((a, b) => a - b),
          filtered: filtered.sort((a, b) => a - b),
          closedCount,
          durationMs: performance.now() - started,
          fastestRttMs,
        });
    };
    const onAbort = () => finish(new AsmvsError('ABORTED', `port scan of ${options.address} was aborted`));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const done = (socket: net.Socket) => {
      live.delete(socket);
      inFlight--;
      options.budget?.give();
      pump();
    };

    // One sweep timer instead of a timer per socket: at 65,535 sockets per scan the per-socket timers cost more
    // than the connects themselves on loopback.
    const deadlines = new Map<net.Socket, { port: number; deadline: number }>();
    const expire = () => {
      const now = performance.now();
      for (const [socket, entry] of deadlines) {
        if (entry.deadline > now) continue;
        deadlines.delete(socket);
        socket.destroy();
        const n = (attempts.get(entry.port) ?? 0) + 1;
        attempts.set(entry.port, n);
        if (n <= retries) queue.push(entry.port);
        else filtered.push(entry.port);
        done(socket);
      }
    };
    // The timer only schedules the expiry; setImmediate runs it after the poll phase, so connects and refusals that
    // completed while the loop was busy are counted before anything is declared filtered. Expiring straight from
    // the timer marked open ports filtered whenever the loop lagged behind the timeout.
    const sweep = setInterval(() => setImmediate(expire), 25);

    const probe = (port: number) => {
      inFlight++;
      const socket = options.io.createSocket();
      live.add(socket);
      const t0 = performance.now();
      let sentAt = t0;
      // Each retry doubles the timeout (as nmap backs off).
      deadlines.set(socket, { port, deadline: t0 + rtt.timeoutMs() * 2 ** (attempts.get(port) ?? 0) });
      const answered = () => deadlines.delete(socket);
      socket.once('connect', () => {
        if (!answered()) return;
        answeredIn(performance.now() - sentAt);
        // On loopback a connect to a port in the ephemeral range can pick that same port as its source and
        // connect to itself (TCP simultaneous open). That is not a listening service.
        const selfConnect = socket.localPort === port && socket.localAddress === socket.remoteAddress;
        if (selfConnect) closedCount++;
        else open.push(port);
        // RST rather than FIN: no TIME_WAIT pile-up over 65,535 ports, and the service sees a bare connect.
        socket.resetAndDestroy();
        done(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        if (!answered()) return;
        socket.destroy();
        if (error.code === 'ECONNREFUSED') {
          answeredIn(performance.now() - sentAt);
          closedCount++;
        } else if (error.code !== undefined && LOCAL_PRESSURE.has(error.code)) {
          limit = Math.max(64, Math.floor(limit * 0.75));
          queue.push(port);
        } else {
          // EHOSTUNREACH, ENETUNREACH, ETIMEDOUT: nothing answered for this port.
          filtered.push(port);
        }
        done(socket);
      });
      socket.connect({ host: options.address, port });
      // node:net connects on the next tick, after the rest of this pump's sockets (tcp-ping.ts times it the same way).
      process.nextTick(() => {
        if (deadlines.has(socket)) sentAt = performance.now();
      });
    };

    const pump = () => {
      if (settled) return;
      while (inFlight < limit && next < queue.length) {
        if (options.budget && !options.budget.tryTake()) {
          options.budget.whenAvailable(pump);
          return;
        }
        probe(queue[next++] as number);
      }
      if (inFlight === 0 && next >= queue.length) finish();
    };
    if (options.signal?.aborted) onAbort();
    else pump();
  });
}
