// One unit of work from input to acknowledged outputs, the same for both runners and for events and due timers:
// execute (decode, handle, retries) → the outputs as records → the key's keyed-state record (keyed stages) → the
// dead letter with what onDeadLetter emitted → one send → metrics → the runner's end hook. A dead letter and
// onDeadLetter's outputs leave in the same send (both, or for the offset, neither); a key's new timers and state
// leave with the outputs of the attempt that made them. A due timer is run like an event of its key: its value is
// delivered with meta.timer set, and it leaves the key's entry in the keyed-state record that goes with the outputs,
// so until that is acknowledged it stays durable and fires again at the next owner (at least once); a timer whose
// handling fails for good is dead-lettered with its value and removed, like a poison event.
import type { AsmvsError } from '../errors.ts';
import type { AnyProcessor, EventMeta, Logger } from '../processor.ts';
import type { SchemaTopic } from '../schemas/registry-files.ts';
import type { StageMetrics } from '../observability/metrics.ts';
import type { RetryPolicy } from './backoff.ts';
import type { DeadLetterFacts, Headers } from './dead-letter.ts';
import { execute, type Emitted, type Executor, type Outcome } from './execute.ts';
import { withoutTimer, type KeyedAttempt, type KeyEntry, type StoredTimer } from './keyed/key-entry.ts';
import type { DueTimer, KeyedStore } from './keyed/keyed-store.ts';
import type { Outages } from './outages.ts';
import { eventSpan, NO_TRACE, type TraceSpan } from '../observability/tracing.ts';

/** Why and where a unit of work failed for good (the dead letter's headers say it). */
export type AttemptDeadLetter = DeadLetterFacts & { readonly error: AsmvsError };

/** What the pipeline reads of a unit of work (the runners' work items implement it). */
export interface AttemptWork {
  /** Aborts the attempt (revocation, the shutdown deadline, a stopped local runner). */
  readonly signal: AbortSignal;
  readonly partition: number;
  /** The record key (null: the event has none); a timer's key. */
  readonly key: string | null;
  /** Set when the work is a keyed stage's due timer rather than an input record. */
  readonly due: DueTimer | undefined;
  /** The bytes to decode as an input value: the record's, or the timer's. */
  readonly bytes: Buffer;
  /** ctx.meta: the record's offset ('-1' for a timer), its headers as strings, its timestamp. */
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: number;
  /** What a dead letter of this work keeps: the key and headers as received. */
  readonly original: { readonly key: Buffer | string | null; readonly headers: Headers | undefined };
}

/** How a runner publishes: its records, and the one send that makes an attempt's records durable together. */
export interface Transport<R> {
  /** The processor's outputs as records, each with `headers` (the input's child trace context, if any). */
  outputs(outputs: readonly Emitted<Buffer>[], headers: Readonly<Record<string, string>>): R[];
  deadLetter(work: AttemptWork, facts: AttemptDeadLetter): R;
  /** Resolves true once every record is acknowledged, false if `signal` aborted first. */
  send(records: R[], signal: AbortSignal): Promise<boolean>;
  /** Whether acknowledged outputs count as produced at once (exactly-once: when their transaction commits). */
  readonly countsProduced: boolean;
  /** The most bytes (key and value) a record of an output topic may carry, if there is a limit. */
  readonly maxRecordBytes?: ((topic: SchemaTopic) => number) | undefined;
}

/** A keyed stage's timers and state as the pipeline uses them (Kafka: KeyedPartitions; local: memory). */
export interface KeyedSide<R> {
  readonly store: KeyedStore;
  /** The view an attempt on (partition, key) gets, starting from `base`; `fired`: the timer it handles, if any. */
  attempt(partition: number, key: string, base: KeyEntry | undefined, fired: StoredTimer | undefined): KeyedAttempt;
  /** Applies a key's new entry; returns the record that makes it durable, if the runner writes one. */
  commit(partition: number, key: string, entry: KeyEntry | undefined): R | undefined;
}

export interface AttemptPipelineOptions<W extends AttemptWork, R> {
  readonly processor: AnyProcessor;
  readonly deps: unknown;
  readonly codec: {
    /** The value, or a promise of it when the writer's schema is fetched first. */
    decode(topic: SchemaTopic, bytes: Buffer): unknown;
    encode(topic: SchemaTopic, value: never): Buffer;
  };
  readonly retry: RetryPolicy;
  readonly log: Logger;
  readonly metrics?: StageMetrics | undefined;
  /** The topics a dead letter names as its source: the input's, and the keyed-state topic for timers. */
  readonly sourceTopics: { readonly input: string; readonly timers: string };
  readonly transport: Transport<R>;
  readonly keyed?: KeyedSide<R> | undefined;
  /** Where attempts that meet unavailable infrastructure wait, without spending their retry budget. */
  readonly outages?: Outages | undefined;
  /** The work's records go to the transport now (its handling is over; their acknowledgement is awaited next). */
  readonly onSend?: ((work: W, records: readonly R[]) => void) | undefined;
  /** The work is over: its records acknowledged (true), or not (aborted, a cancelled timer, a send given up). */
  readonly onEnd: (work: W, acknowledged: boolean, records: readonly R[] | undefined) => void;
  /** The runner's own failure, never the processor's (those are outcomes): the Kafka runner stops the stage. */
  readonly onFailure: (error: unknown) => void;
}

type Ended = Exclude<Outcome<Buffer>, { kind: 'aborted' }>;
/** What an ended attempt counts once its records are acknowledged. */
interface Tally {
  readonly kind: Ended['kind'];
  /** The outputs, for their topics (their values are held by the records until acknowledged anyway). */
  readonly outputs: readonly Emitted<Buffer>[];
  readonly code: string | undefined;
}
type Running = Promise<{ readonly settled: Promise<void> } | undefined>;

/** Outputs of an input without a traceparent share this. */
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const NOTHING: Running = Promise.resolve(undefined);

export class AttemptPipeline<W extends AttemptWork, R> {
  readonly #o: AttemptPipelineOptions<W, R>;
  readonly #stage: string;
  /** What execute() needs of this stage, made once. */
  readonly #executor: Executor<Buffer>;
  // Labelled metric children, looked up once rather than per event (prom-client hashes the labels on each call).
  readonly #produced = new Map<string, { inc(n?: number): void }>();
  readonly #handleSeconds: Record<Ended['kind'], { observe(v: number): void }> | undefined;
  readonly #timers: { fired: { inc(): void }; lateness: { observe(v: number): void } } | undefined;

  constructor(o: AttemptPipelineOptions<W, R>) {
    this.#o = o;
    const stage = (this.#stage = o.processor.name);
    const input = o.processor.input;
    this.#executor = {
      processor: o.processor,
      deps: o.deps,
      decode: (bytes) => o.codec.decode(input, bytes),
      encode: (topic, value) => o.codec.encode(topic, value as never),
      maxRecordBytes: o.transport.maxRecordBytes,
      retry: o.retry,
      log: o.log,
      onRetry: (error) => o.metrics?.retried.inc({ stage, code: error.code }),
      outages: o.outages,
    };
    this.#handleSeconds = o.metrics && {
      done: o.metrics.handleSeconds.labels({ stage, outcome: 'done' }),
      failed: o.metrics.handleSeconds.labels({ stage, outcome: 'failed' }),
    };
    this.#timers = o.metrics && {
      fired: o.metrics.timersFired.labels({ stage }),
      lateness: o.metrics.timerLatenessSeconds.labels({ stage }),
    };
  }

  /**
   * Runs the work; resolves with the publication still in flight, so that the concurrency slot frees early while
   * the key waits for `settled`. Never rejects: a failure here is the runner's own (onFailure).
   */
  run(w: W): Running {
    const { processor } = this.#o;
    const keyed = this.#o.keyed;
    const due = w.due;
    let base: KeyEntry | undefined;
    if (due !== undefined) {
      if (!keyed?.store.isCurrent(due)) {
        this.#o.onEnd(w, false, undefined); // cancelled or replaced while it waited in the mailbox
        return NOTHING;
      }
      base = withoutTimer(keyed.store.get(w.partition, due.key), due.timer.id);
    }
    const startedAt = performance.now();
    const firedAt = due === undefined ? 0 : Date.now();
    // The handling span, child of the input's trace (a timer carries none); the outputs are its children.
    const traceparent = w.headers['traceparent'];
    const span =
      traceparent === undefined
        ? NO_TRACE
        : eventSpan(this.#stage, traceparent, {
            topic: this.#o.sourceTopics.input,
            partition: w.partition,
            offset: w.offset,
          });
    let meta: EventMeta = {
      topic: processor.input,
      partition: w.partition,
      offset: w.offset,
      key: w.key,
      headers: w.headers,
      timestamp: w.timestamp,
      attempt: 1,
    };
    if (due !== undefined)
      meta = { ...meta, timer: { id: due.timer.id, at: due.timer.at, scheduledAt: due.timer.scheduledAt } };
    const key = w.key;
    return execute(this.#executor, {
      meta,
      bytes: w.bytes,
      signal: w.signal,
      // A timer's attempts start from the entry without it; an event's from the key's entry as it is then.
      keyed:
        keyed && key !== null
          ? () =>
              due === undefined
                ? keyed.attempt(w.partition, key, keyed.store.get(w.partition, key), undefined)
                : keyed.attempt(w.partition, key, base, due.timer)
          : undefined,
    }).then(
      (outcome) => {
        try {
          return this.#after(w, outcome, span, base, startedAt, firedAt);
        } catch (error) {
          this.#failed(w, error);
          return undefined;
        }
      },
      (error: unknown) => void this.#failed(w, error),
    );
  }

  #after(
    w: W,
    outcome: Outcome<Buffer>,
    span: TraceSpan,
    base: KeyEntry | undefined,
    startedAt: number,
    firedAt: number,
  ): { settled: Promise<void> } | undefined {
    span.end(outcome.kind, outcome.kind === 'failed' ? outcome.error.code : undefined);
    if (outcome.kind === 'aborted') {
      this.#o.onEnd(w, false, undefined); // its input stays unfinished: it runs again at whoever owns it next
      return undefined;
    }
    const { transport, keyed } = this.#o;
    const { traceparent } = span;
    const records = transport.outputs(outcome.outputs, traceparent === undefined ? NO_HEADERS : { traceparent });
    if (keyed && w.key !== null) {
      // A fired timer always leaves its key's entry (without it, on failure); an event only when it changed it.
      const entry =
        w.due !== undefined
          ? outcome.kind === 'done'
            ? outcome.keyed?.result()
            : base
          : outcome.kind === 'done' && outcome.keyed?.changed
            ? outcome.keyed.result()
            : null;
      if (entry !== null) {
        const record = keyed.commit(w.partition, w.key, entry);
        if (record !== undefined) records.push(record);
      }
    }
    if (outcome.kind === 'failed') records.unshift(transport.deadLetter(w, this.#facts(w, outcome)));
    this.#o.onSend?.(w, records);
    // What the metrics need, not the outcome: its keyed view (the parsed state, the staged timers) is not kept alive
    // while the records wait for their acknowledgement, when thousands of timers may be in flight.
    const tally: Tally = {
      kind: outcome.kind,
      outputs: outcome.outputs,
      code: outcome.kind === 'failed' ? outcome.error.code : undefined,
    };
    const settled = transport.send(records, w.signal).then(
      (acknowledged) => {
        if (acknowledged) this.#counted(w, tally, startedAt, firedAt);
        this.#o.onEnd(w, acknowledged, records);
      },
      (error: unknown) => this.#failed(w, error),
    );
    return { settled };
  }

  #facts(w: W, outcome: Extract<Outcome<Buffer>, { kind: 'failed' }>): AttemptDeadLetter {
    return {
      stage: this.#stage,
      error: outcome.error,
      attempts: outcome.attempts,
      sourceTopic: w.due === undefined ? this.#o.sourceTopics.input : this.#o.sourceTopics.timers,
      sourcePartition: w.partition,
      sourceOffset: w.offset,
      at: new Date(),
    };
  }

  #counted(w: W, tally: Tally, startedAt: number, firedAt: number): void {
    const { metrics } = this.#o;
    if (!metrics || !this.#handleSeconds) return;
    const stage = this.#stage;
    if (this.#o.transport.countsProduced) for (const out of tally.outputs) this.#producedOf(out.topic).inc();
    if (tally.code !== undefined) metrics.deadLettered.inc({ stage, code: tally.code });
    this.#handleSeconds[tally.kind].observe((performance.now() - startedAt) / 1000);
    if (w.due !== undefined && this.#timers) {
      this.#timers.fired.inc();
      this.#timers.lateness.observe(Math.max(0, firedAt - w.due.timer.at) / 1000);
    }
  }

  #producedOf(topic: string): { inc(n?: number): void } {
    let child = this.#produced.get(topic);
    if (!child)
      this.#produced.set(
        topic,
        (child = (this.#o.metrics as StageMetrics).produced.labels({ stage: this.#stage, topic })),
      );
    return child;
  }

  #failed(w: W, error: unknown): void {
    this.#o.onFailure(error);
    this.#o.onEnd(w, false, undefined);
  }
}
