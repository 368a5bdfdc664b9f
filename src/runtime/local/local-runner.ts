// The local runner (DESIGN.md §3): the same processors over in-memory queues, no Kafka, no registry. It backs the
// one-shot `asmvs scan` and fast tests. Same per-key order, retries and dead letters as on Kafka; not a broker:
// nothing survives the process. idle() tells when every event, and everything it caused, is finished.
import type { AnyProcessor, Logger } from '../../processor.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { TopicValues } from '../../schemas/types.gen.ts';
import type { StageMetrics } from '../../observability/metrics.ts';
import { AsmvsError } from '../../errors.ts';
import { KeyedMailboxes } from '../mailboxes.ts';
import { execute } from '../execute.ts';
import { validateProcessor, validateRuntime, type RuntimeSettings } from '../options.ts';
import { deadLetterHeaders, type Headers } from '../dead-letter.ts';
import { childTraceparent } from '../trace-context.ts';
import { dlqOf } from '../../topics.ts';
import { fromAvro, toAvro } from './avro-check.ts';
import { KeyedAttempt, timerBytes, withoutTimer } from '../keyed/key-entry.ts';
import { KeyedStore, type DueTimer } from '../keyed/keyed-store.ts';

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
  readonly key: string;
  readonly value: unknown;
  readonly error: AsmvsError;
  readonly attempts: number;
  readonly headers: Headers;
}

export interface LocalRunner {
  /** Validates the value against the topic schema (ENCODE_INVALID) and delivers it to the stages that read it. */
  publish<T extends SchemaTopic>(topic: T, key: string, value: TopicValues[T], headers?: Record<string, string>): void;
  /**
   * Resolves when nothing is queued, running or waiting to retry, in any stage, and no timer is due: a timer a
   * stage scheduled for now (a continuation) counts as work, one due later does not.
   */
  idle(): Promise<void>;
  /** Every event that reached the topic (published or emitted), in arrival order. */
  collected<T extends SchemaTopic>(topic: T): LocalRecord<T>[];
  readonly deadLetters: readonly LocalDeadLetter[];
  /** A keyed stage's pending timers (in memory: the local runner is not durable). */
  pendingTimers(stage: string): { key: string; id: string; at: number }[];
  /** Aborts work in progress (its ctx.signal fires) and refuses new events. */
  stop(): Promise<void>;
}

interface Item {
  readonly stage: LocalStage;
  readonly bytes: Buffer;
  readonly record: Omit<LocalRecord, 'value'>;
  /** Set when the item is one of the stage's timers firing. */
  readonly due?: DueTimer;
}

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
  const deadLetters: LocalDeadLetter[] = [];
  const abort = new AbortController();
  let pending = 0;
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

  const mailboxes = new Map<LocalStage, KeyedMailboxes<Item>>();
  const stores = new Map<LocalStage, KeyedStore>();
  for (const stage of o.stages) {
    if (!stage.processor.keyed) continue;
    const store = new KeyedStore({
      onDue: (due) => {
        if (abort.signal.aborted) return;
        pending += 1;
        o.metrics?.inFlight.inc({ stage: 'local' });
        const record = { topic: stage.processor.input, offset: -1, key: due.key, headers: {} };
        (mailboxes.get(stage) as KeyedMailboxes<Item>).push(due.key, {
          stage,
          bytes: timerBytes(due.timer),
          record,
          due,
        });
      },
    });
    store.load(PARTITION, new Map());
    stores.set(stage, store);
  }
  for (const stage of o.stages) {
    mailboxes.set(
      stage,
      new KeyedMailboxes<Item>({
        concurrency: stage.concurrency ?? o.runtime.concurrency,
        run: (item) =>
          run(item)
            .catch((error: unknown) => log.error({ err: error }, 'local event failed'))
            .finally(settle),
      }),
    );
  }

  async function run(item: Item): Promise<void> {
    const { stage, record, due } = item;
    const { processor } = stage;
    const store = stores.get(stage);
    if (due && !store?.isCurrent(due)) return; // cancelled or replaced while it waited
    const base =
      store && (due ? withoutTimer(store.get(PARTITION, record.key), due.timer.id) : store.get(PARTITION, record.key));
    const started = performance.now();
    const outcome = await execute<Buffer>({
      processor,
      deps: stage.deps,
      meta: {
        topic: record.topic,
        partition: 0,
        offset: String(record.offset),
        key: record.key,
        headers: record.headers,
        timestamp: Date.now(),
        ...(due ? { timer: { id: due.timer.id, at: due.timer.at, scheduledAt: due.timer.scheduledAt } } : {}),
      },
      decode: async () => fromAvro(record.topic, item.bytes),
      encode: toAvro,
      retry: o.runtime.retry,
      signal: abort.signal,
      log: log.child({ stage: processor.name }),
      onRetry: (error) => o.metrics?.retried.inc({ stage: processor.name, code: error.code }),
      ...(store ? { keyed: () => new KeyedAttempt(base, (v) => toAvro(processor.input, v as never), Date.now) } : {}),
    });
    o.metrics?.handleSeconds.observe(
      { stage: processor.name, outcome: outcome.kind },
      (performance.now() - started) / 1000,
    );
    if (outcome.kind === 'aborted') return;
    if (store && outcome.kind === 'done' && (due || outcome.keyed?.changed))
      store.put(PARTITION, record.key, outcome.keyed?.result());
    else if (store && due) store.put(PARTITION, record.key, base); // failed: the timer is spent (dead-lettered)
    if (outcome.kind === 'failed') {
      const facts = {
        stage: processor.name,
        error: outcome.error,
        attempts: outcome.attempts,
        sourceTopic: record.topic,
        sourcePartition: 0,
        sourceOffset: String(record.offset),
        at: new Date(),
      };
      deadLetters.push({
        topic: dlqOf(record.topic),
        stage: processor.name,
        key: record.key,
        value: fromAvro(record.topic, item.bytes),
        error: outcome.error,
        attempts: outcome.attempts,
        headers: deadLetterHeaders(record.headers, facts),
      });
      o.metrics?.deadLettered.inc({ stage: processor.name, code: outcome.error.code });
    }
    // The outputs of handle(), or those of onDeadLetter, delivered right after their dead letter.
    const traceparent = childTraceparent(record.headers['traceparent']);
    for (const out of outcome.outputs) {
      deliver(out.topic, out.key, out.value, traceparent ? { traceparent } : {});
      o.metrics?.produced.inc({ stage: processor.name, topic: out.topic });
    }
  }

  function deliver(topic: SchemaTopic, key: string, bytes: Buffer, headers: Record<string, string>): void {
    if (abort.signal.aborted) throw new AsmvsError('ABORTED', 'the local runner is stopped');
    let list = collected.get(topic);
    if (!list) collected.set(topic, (list = []));
    const record = { topic, offset: list.length, key, headers };
    list.push({ ...record, value: fromAvro(topic, bytes) as TopicValues[SchemaTopic] });
    for (const stage of o.stages) {
      if (stage.processor.input !== topic) continue;
      pending += 1;
      o.metrics?.inFlight.inc({ stage: 'local' });
      o.metrics?.consumed.inc({ stage: stage.processor.name, topic });
      (mailboxes.get(stage) as KeyedMailboxes<Item>).push(key, { stage, bytes, record });
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
      return store.entries(PARTITION).flatMap(([key, entry]) => entry.timers.map((t) => ({ key, id: t.id, at: t.at })));
    },
    async stop() {
      for (const store of stores.values()) store.close();
      abort.abort(new AsmvsError('ABORTED', 'the local runner is stopping'));
      await Promise.all([...mailboxes.values()].map((m) => m.whenIdle()));
    },
  };
}
