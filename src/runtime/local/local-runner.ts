// The local runner (DESIGN.md §3): the same processors over in-memory queues, no Kafka, no registry. It backs the
// one-shot `asmvs scan` and fast tests. Same per-key order, retries and dead letters as on Kafka; not a broker:
// nothing survives the process. idle() tells when every event, and everything it caused, is finished.
import type { AnyProcessor, Logger } from '../../processor.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { TopicValues } from '../../schemas/types.gen.ts';
import type { StageMetrics } from '../../observability/metrics.ts';
import { AsmvsError } from '../../errors.ts';
import { KeyedMailboxes } from '../mailboxes.ts';
import { AttemptPipeline, type AttemptWork, type KeyedSide, type Transport } from '../attempt-pipeline.ts';
import { validateProcessor, validateRuntime, type RuntimeSettings } from '../options.ts';
import { deadLetterHeaders, type Headers } from '../dead-letter.ts';
import { dlqOf } from '../../topics.ts';
import { fromAvro, toAvro } from './avro-check.ts';
import { KeyedAttempt, timersOf } from '../keyed/key-entry.ts';
import { KeyedStore } from '../keyed/keyed-store.ts';
import { TimerWork } from '../keyed/timer-work.ts';
import { Outages, outageBackoff } from '../outages.ts';

export interface LocalStage {
  readonly processor: AnyProcessor;
  readonly deps?: unknown;
  /** Default: runtime.concurrency. */
  readonly concurrency?: number;
}

export interface LocalRecord<T extends SchemaTopic = SchemaTopic> {
  readonly topic: T;
  readonly offset: number;
  readonly key: string;
  readonly value: TopicValues[T];
  readonly headers: Readonly<Record<string, string>>;
}

export interface LocalDeadLetter {
  /** The dead-letter topic, `<input>.dlq`. */
  readonly topic: string;
  readonly stage: string;
  readonly key: string | null;
  readonly value: unknown;
  readonly error: AsmvsError;
  readonly attempts: number;
  readonly headers: Headers;
}

export interface LocalRunner {
  /**
   * Validates the value against the topic schema (ENCODE_INVALID) and delivers it to the stages that read it. A
   * null key orders nothing (like a Kafka record without a key) and cannot use a keyed stage's timers and state;
   * such a record is delivered but not collected (what a stage emits always has a key).
   */
  publish<T extends SchemaTopic>(
    topic: T,
    key: string | null,
    value: TopicValues[T],
    headers?: Record<string, string>,
  ): void;
  /**
   * Resolves when nothing is queued, running or waiting to retry, in any stage, and no timer is due: a timer a
   * stage scheduled for now (a continuation) counts as work, one due later does not.
   */
  idle(): Promise<void>;
  /** Every event that reached the topic (published with a key, or emitted), in arrival order. */
  collected<T extends SchemaTopic>(topic: T): LocalRecord<T>[];
  readonly deadLetters: readonly LocalDeadLetter[];
  /** A keyed stage's pending timers (in memory: the local runner is not durable). */
  pendingTimers(stage: string): { key: string; id: string; at: number }[];
  /** Aborts work in progress (its ctx.signal fires) and refuses new events. */
  stop(): Promise<void>;
}

/** What a local attempt publishes: outputs to deliver, a dead letter to keep. */
type LocalOut =
  | {
      readonly topic: SchemaTopic;
      readonly key: string;
      readonly bytes: Buffer;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly deadLetter: LocalDeadLetter };

/** Everything lives in partition 0 of a local stage's store. */
const PARTITION = 0;

export function createLocalRunner(o: {
  stages: readonly LocalStage[];
  runtime: RuntimeSettings;
  logger: Logger;
  metrics?: StageMetrics;
}): LocalRunner {
  validateRuntime(o.runtime);
  for (const s of o.stages) validateProcessor(s.processor);
  const names = o.stages.map((s) => s.processor.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new AsmvsError('CONFIG_INVALID', `stage ${duplicate} is given twice`);

  const log = o.logger.child({ runner: 'local' });
  const collected = new Map<SchemaTopic, LocalRecord[]>();
  const published = new Map<SchemaTopic, number>(); // records per topic, keyless ones included (their offsets)
  const deadLetters: LocalDeadLetter[] = [];
  const abort = new AbortController();
  let pending = 0;
  let keyless = 0; // names a mailbox per keyless event: a null key orders nothing
  let idleWaiters: (() => void)[] = [];

  const settle = () => {
    pending -= 1;
    o.metrics?.inFlight.dec({ stage: 'local' });
    if (pending === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };
  const queued = () => {
    pending += 1;
    o.metrics?.inFlight.inc({ stage: 'local' });
  };

  /** A stage's transport: its dead letters go to `<input>.dlq`, a timer's too (its value is an input value). */
  const transportOf = (input: SchemaTopic): Transport<LocalOut> => ({
    outputs: (outputs, headers) =>
      outputs.map((out) => ({ topic: out.topic, key: out.key, bytes: out.value, headers })),
    deadLetter: (work, facts) => ({
      deadLetter: {
        topic: dlqOf(input),
        stage: facts.stage,
        key: work.key,
        value: fromAvro(input, work.bytes),
        error: facts.error,
        attempts: facts.attempts,
        headers: deadLetterHeaders(work.original.headers, facts),
      },
    }),
    // The outputs of handle(), or those of onDeadLetter delivered right after their dead letter.
    async send(records) {
      if (abort.signal.aborted) return false;
      for (const r of records) {
        if ('deadLetter' in r) deadLetters.push(r.deadLetter);
        else deliver(r.topic, r.key, r.bytes, r.headers);
      }
      return true;
    },
    countsProduced: true,
  });

  // Unavailable infrastructure (a platform API that does not answer) is waited for here too, never dead-lettered.
  const outages = new Outages({ stage: 'local', log, metrics: o.metrics, backoff: outageBackoff(o.runtime) });
  const mailboxes = new Map<LocalStage, KeyedMailboxes<AttemptWork>>();
  const stores = new Map<LocalStage, KeyedStore>();
  for (const stage of o.stages) {
    const { processor } = stage;
    let keyed: KeyedSide<LocalOut> | undefined;
    if (processor.keyed) {
      const store = new KeyedStore({
        onDue: (due) => {
          if (abort.signal.aborted) return;
          queued();
          (mailboxes.get(stage) as KeyedMailboxes<AttemptWork>).push(due.key, new TimerWork(due, abort.signal));
        },
      });
      store.load(PARTITION, new Map());
      stores.set(stage, store);
      keyed = {
        store,
        attempt: (_partition, _key, base, fired) =>
          new KeyedAttempt(base, (v) => toAvro(processor.input, v), Date.now, fired),
        commit: (partition, key, entry) => void store.put(partition, key, entry),
      };
    }
    const pipeline = new AttemptPipeline<AttemptWork, LocalOut>({
      processor,
      deps: stage.deps,
      codec: { decode: async (topic, bytes) => fromAvro(topic, bytes), encode: toAvro },
      retry: o.runtime.retry,
      log: log.child({ stage: processor.name }),
      metrics: o.metrics,
      sourceTopics: { input: processor.input, timers: 'keyed-state' },
      transport: transportOf(processor.input),
      keyed,
      outages,
      onEnd: settle,
      onFailure: (error) => log.error({ err: error, stage: processor.name }, 'local event failed'),
    });
    mailboxes.set(
      stage,
      new KeyedMailboxes<AttemptWork>({
        concurrency: stage.concurrency ?? o.runtime.concurrency,
        run: (w) => pipeline.run(w),
      }),
    );
  }

  function deliver(
    topic: SchemaTopic,
    key: string | null,
    bytes: Buffer,
    headers: Readonly<Record<string, string>>,
  ): void {
    if (abort.signal.aborted) throw new AsmvsError('ABORTED', 'the local runner is stopped');
    let list = collected.get(topic);
    if (!list) collected.set(topic, (list = []));
    const offset = published.get(topic) ?? 0;
    published.set(topic, offset + 1);
    if (key !== null)
      list.push({ topic, offset, key, headers, value: fromAvro(topic, bytes) as TopicValues[SchemaTopic] });
    for (const stage of o.stages) {
      if (stage.processor.input !== topic) continue;
      queued();
      o.metrics?.consumed.inc({ stage: stage.processor.name, topic });
      const work: AttemptWork = {
        signal: abort.signal,
        partition: PARTITION,
        key,
        due: undefined,
        bytes,
        offset: String(offset),
        headers,
        timestamp: Date.now(),
        original: { key, headers },
      };
      (mailboxes.get(stage) as KeyedMailboxes<AttemptWork>).push(key ?? `\u0000#${(keyless += 1)}`, work);
    }
  }

  return {
    publish(topic, key, value, headers = {}) {
      deliver(topic, key, toAvro(topic, value), headers);
    },
    async idle() {
      for (;;) {
        if (pending > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
        if (abort.signal.aborted || ![...stores.values()].some((s) => s.hasDue())) return;
        // Due, not yet fired: the store's clock runs it on the next turn of the event loop.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    collected<T extends SchemaTopic>(topic: T) {
      return [...(collected.get(topic) ?? [])] as LocalRecord<T>[];
    },
    deadLetters,
    pendingTimers(stageName) {
      const stage = o.stages.find((s) => s.processor.name === stageName);
      const store = stage && stores.get(stage);
      if (!store) return [];
      return store
        .entries(PARTITION)
        .flatMap(([key, entry]) => timersOf(entry).map((t) => ({ key, id: t.id, at: t.at })));
    },
    async stop() {
      for (const store of stores.values()) store.close();
      abort.abort(new AsmvsError('ABORTED', 'the local runner is stopping'));
      await Promise.all([...mailboxes.values()].map((m) => m.whenIdle()));
    },
  };
}
