// Host discovery the way nmap does it for unprivileged scans: TCP connect probes to a few ports of one address. A
// connection (SYN-ACK) or a refusal (RST) means something answered: the host is up. No answer from any port before
// the timeout, retried once with the timeout doubled, means down; an ICMP unreachable on every port means down at
// once. The timeout is shared by every host a process pings (as nmap's group timing): live hosts' answers shrink
// it, so that a mostly silent range costs a few round trips per address, not seconds.
// Each probe is the port scan's bare connect (io/connect-probe.ts), not a net.Socket: a silent address is eight
// connects that never answer, and a net.Socket's stream, events and teardown cost more CPU than the connect itself,
// which two copies on two cores pay in time.
import { AsmvsError } from '../../errors.ts';
import type { ConnectOutcome } from '../io/connect-probe.ts';
import type { ScannerIo } from '../io/scanner-io.ts';
import type { ConnectBudget } from './connect-budget.ts';
import type { RttEstimator } from './rtt-estimator.ts';

export interface PingResult {
  readonly up: boolean;
  readonly reason: 'syn-ack' | 'reset' | 'no-response' | 'unreachable';
  /** The port that answered first (up), or null. */
  readonly port: number | null;
  readonly rttMs: number | null;
}

export interface PingOptions {
  readonly address: string;
  readonly ports: readonly number[];
  readonly io: ScannerIo;
  readonly signal: AbortSignal;
  /** Shared by the process's pings; observes every answer's round trip. */
  readonly timing: RttEstimator;
  readonly budget?: ConnectBudget;
  /** Rounds after the first (default 1). */
  readonly retries?: number;
  /** How often a round checks its (moving) deadline. */
  readonly checkEveryMs?: number;
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH']);

function slot(budget: ConnectBudget | undefined, signal: AbortSignal): Promise<void> {
  if (!budget || budget.tryTake()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const retry = () => {
      if (signal.aborted) return reject(signal.reason as Error);
      if (budget.tryTake()) resolve();
      else budget.whenAvailable(retry);
    };
    budget.whenAvailable(retry);
  });
}

export async function pingHost(o: PingOptions): Promise<PingResult> {
  const retries = o.retries ?? 1;
  for (let attempt = 0; attempt <= retries; attempt++) {
    const result = await round(o, attempt);
    if (result) return result;
  }
  return { up: false, reason: 'no-response', port: null, rttMs: null };
}

/** One probe per port; resolves with the verdict, or null when nothing answered in time. */
async function round(o: PingOptions, attempt: number): Promise<PingResult | null> {
  const cancels: (() => void)[] = [];
  let verdict: ((r: PingResult | null) => void) | undefined;
  let unreachable = 0;
  const result = new Promise<PingResult | null>((resolve) => (verdict = resolve));
  const settle = (r: PingResult | null) => {
    for (const cancel of cancels) cancel(); // closes the probes still waiting; an answered one closed itself
    for (let n = cancels.length; n > 0; n--) o.budget?.give();
    cancels.length = 0;
    verdict?.(r);
    verdict = undefined;
  };
  const onAbort = () => settle(null);
  o.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (const port of o.ports) {
      await slot(o.budget, o.signal);
      if (!verdict) {
        o.budget?.give(); // answered while we waited for this slot
        break;
      }
      // The probe makes the connect call at once: the round trip is timed from it.
      const sentAt = performance.now();
      const answered = (outcome: ConnectOutcome, code?: string) => {
        const rttMs = performance.now() - sentAt;
        if (outcome === 'open' || outcome === 'self-connect' || outcome === 'refused') {
          o.timing.observe(rttMs);
          settle({ up: true, reason: outcome === 'refused' ? 'reset' : 'syn-ack', port, rttMs });
        } else if (code !== undefined && UNREACHABLE.has(code) && ++unreachable === o.ports.length) {
          settle({ up: false, reason: 'unreachable', port: null, rttMs: null });
        }
      };
      cancels.push(o.io.probeConnect(o.address, port, answered));
    }
    if (verdict)
      void expire(
        o,
        attempt,
        () => verdict !== undefined,
        () => settle(null),
      );
    const r = await result;
    if (o.signal.aborted) throw new AsmvsError('ABORTED', `ping of ${o.address} was aborted`);
    return r;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    if (verdict) settle(null);
  }
}

/** Waits until the round's deadline (the shared timeout, doubled per retry, as it stands now) has passed. */
async function expire(o: PingOptions, attempt: number, open: () => boolean, timeout: () => void): Promise<void> {
  const started = performance.now();
  const every = o.checkEveryMs ?? 50;
  while (open()) {
    const remaining = started + o.timing.timeoutMs() * 2 ** attempt - performance.now();
    if (remaining <= 0) return timeout();
    // Checked after the poll phase (setImmediate), not from the timer: when the loop lags, answers that arrived
    // before the deadline are handled first. The timeout may come from other copies' answers (request-timings.ts),
    // so it must not also have to cover how late this busy process notices an answer.
    await new Promise((resolve) => setTimeout(() => setImmediate(resolve), Math.min(every, remaining)));
  }
}
