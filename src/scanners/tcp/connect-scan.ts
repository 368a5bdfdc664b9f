// TCP connect scan: thousands of sockets in flight at once (bounded), each port open, closed (RST) or filtered
// (no answer before the adaptive timeout; retried once, as nmap does). The address must already be scope-checked.
import { AsmvsError } from '../../errors.ts';
import type { ScannerIo } from '../io/scanner-io.ts';
import type { ConnectBudget } from './connect-budget.ts';
import { rttEstimator } from './rtt-estimator.ts';

export type PortState = 'open' | 'closed' | 'filtered';

export interface PortScanOptions {
  readonly address: string;
  readonly ports: readonly number[];
  readonly io: Pick<ScannerIo, 'probeConnect'>;
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

/** One connect in flight: unanswered by its deadline, it is cancelled and counts as a timeout. */
interface Attempt {
  readonly port: number;
  readonly deadline: number;
  cancel: () => void;
}

const notStarted = () => undefined;

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
  // Connects in flight, oldest first.
  const live = new Set<Attempt>();
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
      for (const attempt of live) attempt.cancel();
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

    const done = () => {
      inFlight--;
      options.budget?.give();
      pump();
    };

    // One sweep timer instead of a timer per connect: at 65,535 connects per scan the per-connect timers cost more
    // than the connects themselves on loopback.
    const expire = () => {
      const now = performance.now();
      for (const attempt of live) {
        if (attempt.deadline > now) continue;
        live.delete(attempt);
        attempt.cancel();
        const n = (attempts.get(attempt.port) ?? 0) + 1;
        attempts.set(attempt.port, n);
        if (n <= retries) queue.push(attempt.port);
        else filtered.push(attempt.port);
        done();
      }
    };
    // The timer only schedules the expiry; setImmediate runs it after the poll phase, so connects and refusals that
    // completed while the loop was busy are counted before anything is declared filtered. Expiring straight from
    // the timer marked open ports filtered whenever the loop lagged behind the timeout.
    const sweep = setInterval(() => setImmediate(expire), 25);

    const probe = (port: number) => {
      inFlight++;
      // Timed from here: the probe makes its connect call at once (through net.Socket, its fallback, on the next tick).
      const t0 = performance.now();
      // Each retry doubles the timeout (as nmap backs off).
      const attempt: Attempt = {
        port,
        deadline: t0 + rtt.timeoutMs() * 2 ** (attempts.get(port) ?? 0),
        cancel: notStarted,
      };
      live.add(attempt);
      attempt.cancel = options.io.probeConnect(options.address, port, (outcome, code) => {
        if (!live.delete(attempt)) return;
        if (outcome === 'open') {
          answeredIn(performance.now() - t0);
          open.push(port);
        } else if (outcome === 'refused' || outcome === 'self-connect') {
          // A self-connect is loopback connecting to itself from that same port: not a listening service.
          answeredIn(performance.now() - t0);
          closedCount++;
        } else if (code !== undefined && LOCAL_PRESSURE.has(code)) {
          limit = Math.max(64, Math.floor(limit * 0.75));
          queue.push(port);
        } else {
          // EHOSTUNREACH, ENETUNREACH, ETIMEDOUT: nothing answered for this port.
          filtered.push(port);
        }
        done();
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
