// The processor contract (DESIGN.md §3). A processor is plain code: it reads one decoded event and emits zero or
// more events. It never touches Kafka, offsets or the registry; the runner (Kafka or local) owns all of that.
import type { Logger } from 'pino';
import type { AsmvsError } from './errors.ts';
import type { SchemaTopic } from './schemas/registry-files.ts';
import type { TopicValues } from './schemas/types.gen.ts';

export type { Logger } from 'pino';

/** Where the event came from and which attempt this is (1 on the first try). */
export interface EventMeta {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly attempt: number;
  readonly timestamp: number;
  /** Set when the event is one of the stage's own timers firing, not a record of its input topic. */
  readonly timer?: TimerFiring;
}

/** A timer that fired: which one, when it was due, and when it was scheduled. */
export interface TimerFiring {
  readonly id: string;
  readonly at: number;
  readonly scheduledAt: number;
}

export interface PendingTimer {
  readonly id: string;
  readonly at: number;
}

/**
 * Durable per-key timers and state (DESIGN.md §3), for stages declared `keyed`. The key is the event's key. What an
 * attempt changes is applied only if handle() resolves, and is published with its outputs; a failed attempt changes
 * nothing. On Kafka the timers and state live in the compacted keyed-state topic, owned with the input partition.
 */
export interface KeyedContext<In extends SchemaTopic> {
  /** The key's state (a JSON value) as the last finished event of this key left it; undefined if none. */
  readonly state: unknown;
  /** Replaces the key's state; undefined deletes it. It must survive JSON.stringify. */
  setState(value: unknown): void;
  /**
   * Delivers `value` back to this stage, on this key, at `at` (ms since epoch) or soon after — at least once, in
   * order of `at` per key, with meta.timer set. Scheduling an `id` the key already has replaces that timer.
   */
  schedule(id: string, at: number, value: TopicValues[In]): void;
  /** Cancels a pending timer of this key (no-op if there is none). */
  cancel(id: string): void;
  /** This key's pending timers, with this attempt's changes. */
  timers(): readonly PendingTimer[];
}

export interface Context<Out extends SchemaTopic, Deps, In extends SchemaTopic = SchemaTopic> {
  /**
   * Queues an output. Values are checked against the topic schema at once (ENCODE_INVALID, not retryable);
   * the outputs of an attempt are published only when handle() resolves, so a failed attempt publishes nothing.
   */
  emit<T extends Out>(topic: T, key: string, value: TopicValues[T]): void;
  /** Aborted on shutdown past the deadline, on revocation of the event's partition, or on stop(). */
  readonly signal: AbortSignal;
  /** Bound to stage, topic, partition, offset, key and requestId. */
  readonly log: Logger;
  readonly deps: Deps;
  readonly meta: EventMeta;
  /** Timers and state of the event's key; only for stages declared `keyed` (otherwise it throws). */
  readonly keyed: KeyedContext<In>;
}

/** What onDeadLetter may use: emit (checked like handle's), the event's logger and where the event came from. */
export interface DeadLetterContext<Out extends SchemaTopic, Deps> {
  /** Queues an output; published with the dead letter, in the same send (or transaction). */
  emit<T extends Out>(topic: T, key: string, value: TopicValues[T]): void;
  readonly log: Logger;
  /** `attempt` is the number of attempts made. */
  readonly meta: EventMeta;
  readonly deps: Deps;
}

export interface Processor<
  In extends SchemaTopic,
  Out extends SchemaTopic,
  Deps = undefined,
  Name extends string = string,
> {
  /** The stage name (snake_case); src/topology.ts binds the processor to its dependencies under it. */
  readonly name: Name;
  readonly input: In;
  readonly outputs: readonly Out[];
  /**
   * Pure: the output depends on the input alone (no external side effects), so the stage may run exactly-once
   * in Kafka transactions when EXACTLY_ONCE is set.
   */
  readonly pure?: boolean;
  /** Keeps durable per-key timers and state (ctx.keyed); such a stage never runs exactly-once. */
  readonly keyed?: boolean;
  /**
   * A backlog starts with its partitions taking turns, in about the order it was produced across them, rather than
   * a fetch's partitions one after another (host_scan: a copy's first hosts come from the whole range). It costs
   * every event a little (a stage's pass-through about a fifth, cold on 12 partitions), so only stages that need it.
   */
  readonly partitionTurns?: boolean;
  /** Throw an AsmvsError to choose between retry (retryable) and dead letter; other errors are HANDLER_FAILED. */
  handle(event: TopicValues[In], ctx: Context<Out, Deps, In>): Promise<void>;
  /**
   * Called once when the event is dead-lettered (retries exhausted or a non-retryable error), so that whoever
   * follows the request learns its end (e.g. a job-status FAILED). `event` is undefined when the bytes could not be
   * decoded. What it emits is published together with the dead letter: if that write fails, neither counts and
   * the offset is not committed. If it throws (or emits an invalid value), the error is logged and only the dead
   * letter is published; it is never retried.
   */
  onDeadLetter?(
    event: TopicValues[In] | undefined,
    error: AsmvsError,
    ctx: DeadLetterContext<Out, Deps>,
  ): void | Promise<void>;
}

/** A processor of any topics, as the runners hold it (handle() is a method, so its parameters are bivariant). */
export type AnyProcessor = Processor<SchemaTopic, SchemaTopic, unknown>;

/** The common shape of the value every event carries (DESIGN.md §2). */
export function requestIdOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'requestId' in value && typeof value.requestId === 'string')
    return value.requestId;
  return undefined;
}
