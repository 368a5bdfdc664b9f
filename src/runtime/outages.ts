// Infrastructure a stage needs that does not answer (the catalogue's `unavailable` codes: schema registry, Kafka,
// PostgreSQL, the platform API's transport). An outage is not the fault of the events that meet it, so it never
// spends their retry budget: whatever met it (an attempt, the producer, the consumer, a start-up step) waits and tries
// again with backoff until it is back. While anything waits the stage is not ready (/readyz), the Kafka runner's input
// is paused, a gauge says which infrastructure is out, and one log line marks each change (out, back).
import { AsmvsError, type ErrorCode } from '../errors.ts';
import type { Logger } from '../processor.ts';
import type { StageMetrics } from '../observability/metrics.ts';
import { DEFAULT_OUTAGE_RETRY_MAX_MS } from '../config/schema.ts';
import { backoffDelay, sleep } from './backoff.ts';
import type { RuntimeSettings } from './options.ts';

const WHAT: Partial<Record<ErrorCode, string>> = {
  REGISTRY_UNAVAILABLE: 'the schema registry',
  KAFKA_UNAVAILABLE: 'Kafka',
  DATABASE_UNAVAILABLE: 'PostgreSQL',
  API_UNREACHABLE: 'the platform API',
};

export interface OutagesOptions {
  readonly stage: string;
  readonly log: Logger;
  readonly metrics?: StageMetrics | undefined;
  /** Waits between tries: from baseMs, doubling, up to maxMs (with jitter). */
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  /** Called when the stage starts or stops waiting for something. */
  readonly onChange?: (unavailable: boolean) => void;
}

/** The waits of the runtime settings: from the first retry delay up to OUTAGE_RETRY_MAX_MS. */
export function outageBackoff(runtime: RuntimeSettings): OutagesOptions['backoff'] {
  return { baseMs: runtime.retry.baseMs, maxMs: runtime.outageRetryMaxMs ?? DEFAULT_OUTAGE_RETRY_MAX_MS };
}

export class Outages {
  readonly #o: OutagesOptions;
  /** Per code: how many are waiting for it, and since when. */
  readonly #waiting = new Map<ErrorCode, { count: number; since: number }>();

  constructor(o: OutagesOptions) {
    this.#o = o;
  }

  /** Whether something waits for unavailable infrastructure now. */
  get unavailable(): boolean {
    return this.#waiting.size > 0;
  }

  /** Which infrastructure is out now (codes). */
  get out(): ErrorCode[] {
    return [...this.#waiting.keys()];
  }

  /**
   * Something met this outage and waits for it; call the returned function (once) when it no longer does: it got
   * through, failed for another reason, or gave up.
   */
  enter(error: AsmvsError): () => void {
    const { code } = error;
    const was = this.#waiting.size;
    let entry = this.#waiting.get(code);
    if (!entry) {
      this.#waiting.set(code, (entry = { count: 0, since: Date.now() }));
      this.#o.log.warn({ code, err: error }, `${WHAT[code] ?? code} is unavailable: waiting for it`);
      this.#o.metrics?.unavailable.set({ stage: this.#o.stage, code }, 1);
    }
    entry.count += 1;
    if (was === 0) this.#o.onChange?.(true);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#leave(code);
    };
  }

  /** Waits before try `waits + 1` (after `waits` ≥ 1 tries met the outage); rejects when the signal aborts. */
  wait(code: ErrorCode, waits: number, signal: AbortSignal): Promise<void> {
    this.#o.metrics?.outageWaits.inc({ stage: this.#o.stage, code });
    return sleep(backoffDelay(waits, this.#o.backoff), signal);
  }

  /**
   * Runs a step (a start-up step: connect, register, subscribe) until it gets through: an unavailable failure waits
   * and tries again, any other failure is thrown. `classify` turns a client's errors into the catalogue's; an abort
   * of `signal` ends the wait with the signal's reason.
   */
  async until<T>(step: () => Promise<T>, classify: (error: unknown) => unknown, signal: AbortSignal): Promise<T> {
    let leave: (() => void) | undefined;
    try {
      for (let waits = 1; ; waits += 1) {
        try {
          return await step();
        } catch (thrown) {
          const error = classify(thrown);
          if (!(error instanceof AsmvsError) || !error.unavailable || signal.aborted) throw error;
          leave ??= this.enter(error);
          await this.wait(error.code, waits, signal);
        }
      }
    } finally {
      leave?.();
    }
  }

  #leave(code: ErrorCode): void {
    const entry = this.#waiting.get(code);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    this.#waiting.delete(code);
    const seconds = Math.round((Date.now() - entry.since) / 100) / 10;
    this.#o.log.info({ code, seconds }, `${WHAT[code] ?? code} is available again`);
    this.#o.metrics?.unavailable.set({ stage: this.#o.stage, code }, 0);
    if (this.#waiting.size === 0) this.#o.onChange?.(false);
  }
}
