// One event, start to outcome: decode, handle, retry retryable failures with backoff, give up into a dead letter.
// Shared by the Kafka runner and the local runner so that both treat failures the same way.
import { AsmvsError, toAsmvsError } from '../errors.ts';
import type { AnyProcessor, Context, EventMeta, Logger } from '../processor.ts';
import { requestIdOf } from '../processor.ts';
import type { SchemaTopic } from '../schemas/registry-files.ts';
import { backoffDelay, sleep, type RetryPolicy } from './backoff.ts';
import { notKeyed, type KeyedAttempt } from './keyed/key-entry.ts';
import { traceIdOf } from '../observability/tracing.ts';
import type { Outages } from './outages.ts';

export interface Emitted<E> {
  readonly topic: SchemaTopic;
  readonly key: string;
  /** The value as the runner publishes it: wire bytes (Kafka) or a checked copy (local). */
  readonly value: E;
}

export type Outcome<E> =
  | {
      readonly kind: 'done';
      readonly outputs: Emitted<E>[];
      readonly attempts: number;
      /** The successful attempt's view of the key's timers and state (keyed stages). */
      readonly keyed?: KeyedAttempt;
    }
  /** `outputs`: what the processor's onDeadLetter emitted, to publish together with the dead letter. */
  | { readonly kind: 'failed'; readonly error: AsmvsError; readonly attempts: number; readonly outputs: Emitted<E>[] }
  | { readonly kind: 'aborted'; readonly attempts: number };

/** What every event of a stage is executed with: made once per runner, not per event. */
export interface Executor<E> {
  readonly processor: AnyProcessor;
  readonly deps: unknown;
  /**
   * Decodes an input's bytes: the value, or a promise of it (the codec answers at once once it knows the writer's
   * schema). Its errors count like the handler's (DECODE_* are not retryable, a registry outage is).
   */
  readonly decode: (bytes: Buffer) => unknown;
  /** Checks and encodes an output at emit time; throws ENCODE_INVALID. */
  readonly encode: (topic: SchemaTopic, value: unknown) => E;
  /**
   * The most bytes (key and value) a record of `topic` may carry, if the transport has a limit: a larger output
   * throws OUTPUT_TOO_LARGE at emit (the broker would refuse it for good; the event is dead-lettered instead).
   */
  readonly maxRecordBytes?: ((topic: SchemaTopic) => number) | undefined;
  readonly retry: RetryPolicy;
  readonly log: Logger;
  readonly onRetry?: ((error: AsmvsError, attempt: number, delayMs: number) => void) | undefined;
  readonly random?: () => number;
  /**
   * Where an attempt that meets unavailable infrastructure waits and tries again without spending the event's retry
   * budget (its attempt number stays). Without it, such errors are retried like any retryable one.
   */
  readonly outages?: Outages | undefined;
}

/** One event to execute. */
export interface ExecuteEvent {
  /** ctx.meta of the first attempt (attempt 1); later attempts get a copy with their number. */
  readonly meta: EventMeta;
  readonly bytes: Buffer;
  readonly signal: AbortSignal;
  /** Keyed stages: a fresh view of the event key's timers and state for each attempt. */
  readonly keyed: (() => KeyedAttempt) | undefined;
}

const notKeyedViews = new Map<string, Context<SchemaTopic, unknown>['keyed']>();

/** ctx.keyed without keyed state: a stage not declared keyed, or a keyed stage's event that has no record key. */
function notKeyedOf(processor: AnyProcessor): Context<SchemaTopic, unknown>['keyed'] {
  let view = notKeyedViews.get(processor.name);
  if (!view) notKeyedViews.set(processor.name, (view = notKeyed(processor.name, processor.keyed === true)));
  return view;
}

const outputSets = new WeakMap<AnyProcessor, ReadonlySet<string>>();

/** The processor's outputs as a set, made once per processor rather than once per event. */
function outputsOf(processor: AnyProcessor): ReadonlySet<string> {
  let set = outputSets.get(processor);
  if (!set) outputSets.set(processor, (set = new Set<string>(processor.outputs)));
  return set;
}

/**
 * A handler's context. A class, not an object literal: a literal with a getter is built through a runtime call on
 * every evaluation, measurable per event. `emit` stays an own closure, so `const { emit } = ctx` keeps working.
 */
class EventContext implements Context<SchemaTopic, unknown> {
  readonly emit: Context<SchemaTopic, unknown>['emit'];
  readonly signal: AbortSignal;
  readonly deps: unknown;
  readonly meta: EventMeta;
  readonly keyed: Context<SchemaTopic, unknown>['keyed'];
  readonly #log: () => Logger;

  constructor(
    emit: Context<SchemaTopic, unknown>['emit'],
    signal: AbortSignal,
    deps: unknown,
    meta: EventMeta,
    log: () => Logger,
    keyed: Context<SchemaTopic, unknown>['keyed'],
  ) {
    this.emit = emit;
    this.signal = signal;
    this.deps = deps;
    this.meta = meta;
    this.#log = log;
    this.keyed = keyed;
  }

  get log(): Logger {
    return this.#log();
  }
}

/** Throws OUTPUT_TOO_LARGE when the record's key and value are more than `limit` bytes. */
function checkRecordSize(topic: SchemaTopic, key: string, value: unknown, limit: number): void {
  const valueBytes = Buffer.isBuffer(value) ? value.length : 0;
  // Keys are short: their byte length is counted only when three bytes a character could pass the limit.
  if (valueBytes + 3 * key.length <= limit) return;
  const bytes = valueBytes + Buffer.byteLength(key);
  if (bytes > limit)
    throw new AsmvsError(
      'OUTPUT_TOO_LARGE',
      `the ${topic} record is ${bytes} bytes, more than the ${limit} its topic takes (max.message.bytes, less the batch's framing)`,
    );
}

export async function execute<E>(o: Executor<E>, e: ExecuteEvent): Promise<Outcome<E>> {
  const outputsAllowed = outputsOf(o.processor);
  // The child logger is made only when something logs: a pino child per event is measurable at 10k events/s.
  let requestId: string | undefined;
  let child: Logger | undefined;
  const eventLog = () => {
    if (child) return child;
    const { topic, partition, offset, key } = e.meta;
    const bindings: Record<string, unknown> = { topic, partition, offset, key };
    if (requestId !== undefined) bindings['requestId'] = requestId;
    const traceId = traceIdOf(e.meta.headers['traceparent']);
    if (traceId !== undefined) bindings['traceId'] = traceId;
    return (child = o.log.child(bindings));
  };
  const emitter = (outputs: Emitted<E>[]) => (topic: SchemaTopic, key: string, value: unknown) => {
    if (!outputsAllowed.has(topic)) {
      throw new AsmvsError(
        'ENCODE_INVALID',
        `stage ${o.processor.name} emitted to ${topic}, which is not among its outputs (${[...outputsAllowed].join(', ')})`,
      );
    }
    const encoded = o.encode(topic, value);
    if (o.maxRecordBytes) checkRecordSize(topic, key, encoded, o.maxRecordBytes(topic));
    outputs.push({ topic, key, value: encoded });
  };
  let event: unknown; // the last decoded value, for onDeadLetter (undefined if the bytes never decoded)
  let outage: { readonly code: string; readonly leave: () => void; waits: number } | undefined;
  try {
    for (let attempt = 1; ; attempt += 1) {
      if (e.signal.aborted) return { kind: 'aborted', attempts: attempt - 1 };
      const outputs: Emitted<E>[] = [];
      try {
        // Awaited even when the codec answers at once: the handler then runs in a microtask, never inside the
        // mailbox's start of the item. Run inline, a backlog's handlers ran inside one another's starts and the turn
        // budget's slow mode (one start per turn) held a cold 12-partition pass-through to half its rate.
        event = await o.decode(e.bytes);
        if (attempt === 1 && child === undefined) requestId = requestIdOf(event);
        const keyed = e.keyed?.();
        const ctx = new EventContext(
          emitter(outputs),
          e.signal,
          o.deps,
          attempt === 1 ? e.meta : { ...e.meta, attempt },
          eventLog,
          keyed ?? notKeyedOf(o.processor),
        );
        await o.processor.handle(event as never, ctx);
        return keyed
          ? { kind: 'done', outputs, attempts: attempt, keyed }
          : { kind: 'done', outputs, attempts: attempt };
      } catch (thrown) {
        // A handler that fails because we aborted it did not fail on its own: the event runs again elsewhere.
        if (e.signal.aborted) return { kind: 'aborted', attempts: attempt };
        const error = toAsmvsError(thrown);
        if (error.unavailable && o.outages) {
          // Not this event's fault: it waits for the infrastructure, and the next try is the same attempt again.
          if (outage?.code !== error.code) {
            outage?.leave();
            outage = { code: error.code, leave: o.outages.enter(error), waits: 0 };
          }
          outage.waits += 1;
          try {
            await o.outages.wait(error.code, outage.waits, e.signal);
          } catch {
            return { kind: 'aborted', attempts: attempt - 1 };
          }
          attempt -= 1;
          continue;
        }
        outage?.leave();
        outage = undefined;
        if (!error.retryable || attempt >= o.retry.maxAttempts) {
          eventLog().warn({ code: error.code, attempts: attempt, err: error }, 'event failed; dead-lettering');
          return { kind: 'failed', error, attempts: attempt, outputs: await deadLetterOutputs(event, error, attempt) };
        }
        const delayMs = backoffDelay(attempt, o.retry, o.random);
        o.onRetry?.(error, attempt, delayMs);
        eventLog().info({ code: error.code, attempt, delayMs }, 'retryable failure; retrying');
        try {
          await sleep(delayMs, e.signal);
        } catch {
          return { kind: 'aborted', attempts: attempt };
        }
      }
    }
  } finally {
    outage?.leave(); // however the attempt ended, it no longer waits
  }

  /** Runs the processor's onDeadLetter; its failure costs its outputs, never the dead letter itself. */
  async function deadLetterOutputs(value: unknown, error: AsmvsError, attempts: number): Promise<Emitted<E>[]> {
    const hook = o.processor.onDeadLetter;
    if (!hook) return [];
    const outputs: Emitted<E>[] = [];
    try {
      await hook.call(o.processor, value as never, error, {
        emit: emitter(outputs),
        log: eventLog(),
        meta: { ...e.meta, attempt: attempts },
        deps: o.deps,
      });
      return outputs;
    } catch (thrown) {
      eventLog().error(
        { err: thrown, code: error.code },
        'onDeadLetter failed; dead letter published without its outputs',
      );
      return [];
    }
  }
}
