// The Kafka runner of one stage (DESIGN.md §3). kafkajs fetches; we hand each message to its key's mailbox and
// tell kafkajs the message is taken (resolveOffset moves the *fetch* position only: autoCommit is off). The
// *commit* position is ours: the contiguous low-water mark of finished events per partition (offset-tracker.ts),
// committed on a timer, on rebalance and on stop — never for a partition we no longer own.
//
// Traps, in kafkajs 2.2.4 terms:
// - eachBatch returns as soon as the batch is queued, so kafkajs keeps fetching and heartbeating while handlers
//   run for minutes: a handler longer than the session timeout causes no rebalance.
// - When all partitions are paused, kafkajs sleeps maxWaitTime and heartbeats: back-pressure does not starve the
//   group membership.
// - After every rejoin kafkajs builds a new OffsetManager and refetches from the *committed* offsets, so a
//   partition we keep is redelivered from the low-water mark: the tracker recognises offsets it already holds.
// - kafkajs has no "partitions revoked" callback. REBALANCING fires just before it rejoins (we stop dispatch and
//   commit what is done, while our generation is still valid); GROUP_JOIN carries the new assignment (we abort and
//   forget partitions we lost, so nothing is committed for them).
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { AnyProcessor, Logger } from '../../processor.ts';
import type { Codec } from '../../schemas/codec.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { StageMetrics } from '../../observability/metrics.ts';
import type { Health } from '../../observability/server.ts';
import { observeAssignment } from '../../observability/runner-hooks.ts';
import { AsmvsError } from '../../errors.ts';
import { dlqOf } from '../../topics.ts';
import { PartitionOffsets } from '../offset-tracker.ts';
import { KeyedMailboxes } from '../mailboxes.ts';
import { execute, type Outcome } from '../execute.ts';
import { validateProcessor, validateRuntime, type RuntimeSettings } from '../options.ts';
import { deadLetterHeaders, headersAsStrings } from '../dead-letter.ts';
import { eventSpan, type TraceSpan } from '../../observability/tracing.ts';
import { sleep } from '../backoff.ts';
import { BatchingSender, type OutRecord } from './batching-sender.ts';
import { isFenced, offsetCommitter, transactionalCommitter, type CommitEntry } from './commit.ts';
import { createStageClients, type ConsumerTuning } from './stage-clients.ts';
import type { Kafka } from './client.ts';
import { KeyedPartitions } from './keyed-partitions.ts';
import { timerFiring } from './fire-timer.ts';
import { DEFAULT_TIMERS_IN_FLIGHT } from '../../config/schema.ts';
import type { DueTimer } from '../keyed/keyed-store.ts';

export interface StageRunnerOptions {
  readonly processor: AnyProcessor;
  readonly deps?: unknown;
  readonly kafka: Kafka;
  /** Registered for the processor's outputs by start(). */
  readonly codec: Codec;
  readonly topicPrefix?: string;
  /** Default `<prefix>asmvs.<stage>`. */
  readonly groupId?: string;
  readonly runtime: RuntimeSettings;
  readonly logger: Logger;
  readonly metrics?: StageMetrics;
  /** Names this copy's transactional id (exactly-once): unique per running copy, stable across its restarts. */
  readonly instanceId?: string;
  readonly consumer?: ConsumerTuning;
  readonly commitIntervalMs?: number;
  /** Received-but-uncommitted events before pausing (a slow event holds the low-water mark). */
  readonly maxUncommitted?: number;
  /** Physical topics that replace `<prefix><output>` for some outputs (a replay into a side topic). */
  readonly outputTopics?: Readonly<Record<string, string>>;
}

export interface StageRunner {
  start(): Promise<void>;
  /** Drains (finishes started work and fills offset holes) within the shutdown deadline, commits, disconnects. */
  stop(): Promise<void>;
  /** Settles when the runner has stopped; rejects if it failed on its own. */
  readonly done: Promise<void>;
  readonly health: Health;
  readonly exactlyOnce: boolean;
}

interface PartitionState {
  readonly partition: number;
  readonly tracker: PartitionOffsets<OutRecord[]>;
  readonly revoked: AbortController;
  maxStarted: bigint;
  drainLimit: bigint | undefined;
  highWatermark: bigint | undefined;
  /** Keyed stages: its timers and state are loaded (dispatch waits until then). */
  loaded: boolean;
}

interface Work {
  readonly state: PartitionState;
  readonly message: KafkaMessage;
  readonly offset: bigint;
  /** The key as a string, decoded once (it names the mailbox and goes into EventMeta). */
  readonly key: string | null;
  readonly due?: undefined;
}

/** A durable timer of a keyed stage, due: it runs in its key's mailbox, in order with the key's events. */
interface TimerWork {
  readonly state: PartitionState;
  readonly due: DueTimer;
}

/** Outputs of an input without a traceparent share this (kafkajs only reads a message's headers). */
const NO_HEADERS: Readonly<Record<string, never>> = Object.freeze({});

export function createStageRunner(o: StageRunnerOptions): StageRunner {
  validateRuntime(o.runtime);
  validateProcessor(o.processor);
  const { processor, runtime, metrics } = o;
  const stage = processor.name;
  const prefix = o.topicPrefix ?? '';
  const input = prefix + processor.input;
  const groupId = o.groupId ?? `${prefix}asmvs.${stage}`;
  const exactlyOnce = runtime.exactlyOnce && processor.pure === true;
  const maxUncommitted = o.maxUncommitted ?? (exactlyOnce ? runtime.maxInFlight * 2 : runtime.maxInFlight * 10);
  const log = o.logger.child({ stage });
  const { consumer, producer, fromBeginning } = createStageClients(o.kafka, {
    groupId,
    exactlyOnce,
    transactionalId: `${prefix}asmvs.${stage}.${o.instanceId ?? 'default'}`,
    tuning: o.consumer,
  });
  const sender = new BatchingSender(producer, { retry: runtime.retry, log });
  const commit = exactlyOnce ? transactionalCommitter(producer, groupId) : offsetCommitter(consumer);

  const partitions = new Map<number, PartitionState>();
  let stopRequested = false;
  let dispatchOpen = false;
  let paused = false;
  let working = 0; // received and not finished (timers that fired included)
  let firing = 0; // timers that fired and are not finished
  let started = false;
  let assigned = false;
  let failed: unknown;
  let stopPromise: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let resolveDone: () => void = () => undefined;
  let rejectDone: (e: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => ((resolveDone = resolve), (rejectDone = reject)));
  done.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

  const uncommitted = () => [...partitions.values()].reduce((n, s) => n + s.tracker.size, 0);
  const setInFlight = () => metrics?.inFlight.set({ stage }, working);
  // Labelled metric children, looked up once rather than per event (prom-client hashes the labels on each call).
  const produced = new Map<string, { inc(n?: number): void }>();
  const producedOf = (topic: string) => {
    let child = produced.get(topic);
    if (!child && metrics) produced.set(topic, (child = metrics.produced.labels({ stage, topic })));
    return child;
  };
  const handleSeconds = metrics && {
    done: metrics.handleSeconds.labels({ stage, outcome: 'done' }),
    failed: metrics.handleSeconds.labels({ stage, outcome: 'failed' }),
  };
  const consumed = metrics?.consumed.labels({ stage, topic: processor.input });
  const encode = (topic: SchemaTopic, value: unknown) => o.codec.encode(topic, value as never);
  const onRetry = (error: AsmvsError) => metrics?.retried.inc({ stage, code: error.code });

  const timersInFlight = Math.min(runtime.maxInFlight, runtime.maxTimersInFlight ?? DEFAULT_TIMERS_IN_FLIGHT);
  const keyed = processor.keyed
    ? new KeyedPartitions({
        kafka: o.kafka,
        codec: o.codec,
        stage,
        input: processor.input,
        prefix,
        retry: runtime.retry,
        log,
        metrics,
        onDue,
        // Due timers count as work in progress until their outputs are acknowledged, like received events, and
        // fewer fire at once (STAGE_MAX_TIMERS_IN_FLIGHT) than events are buffered: each holds its value, outputs
        // and keyed-state record until acknowledged. A burst of 100,000 due timers (bench/runtime/timers-reload.ts)
        // peaks lower that way, with the same lateness; the rest wait in the timer heap, already due.
        mayFire: () => firing < timersInFlight && working < runtime.maxInFlight && !stopRequested,
      })
    : undefined;
  const loads = new AbortController(); // aborted on stop: pending keyed-state loads give up

  const mailboxes = new KeyedMailboxes<Work | TimerWork>({
    concurrency: runtime.concurrency,
    mayStart: (w) =>
      dispatchOpen &&
      w.state.loaded &&
      partitions.get(w.state.partition) === w.state &&
      // A timer already queued runs even while draining: the key's events behind it wait for it.
      (w.due !== undefined || w.state.drainLimit === undefined || w.offset <= w.state.drainLimit),
    run: (w) =>
      w.due === undefined ? handle(w) : (fireTimer?.(w.state.partition, w.state.revoked.signal, w.due) ?? noTimer()),
  });

  const fireTimer =
    keyed &&
    timerFiring({
      processor,
      deps: o.deps,
      codec: o.codec,
      keyed,
      retry: runtime.retry,
      log,
      metrics,
      deadLetterTopic: dlqOf(input),
      onRetry,
      records: (outputs) => outputRecords(outputs, undefined),
      send: (records, signal) => sender.send(records, signal),
      counted: (outcome, startedAt) => counted(outcome, startedAt, true),
      release: releaseTimer,
      fail,
    });
  const noTimer = () => (release(), Promise.resolve(undefined)); // not keyed: no timer can be due

  /** A timer is due: it queues behind its key's events (the store calls this in due order). */
  function onDue(due: DueTimer): void {
    const state = partitions.get(due.partition);
    if (!state) return;
    working += 1;
    firing += 1;
    mailboxes.push(`${due.partition}:${due.key}`, { state, due });
    maybePause();
  }

  function maybePause(): void {
    if (!paused && (working >= runtime.maxInFlight || uncommitted() >= maxUncommitted)) {
      paused = true;
      consumer.pause([{ topic: input }]);
    }
  }

  function maybeResume(): void {
    if (
      paused &&
      !stopRequested &&
      working < Math.max(1, runtime.maxInFlight / 2) &&
      uncommitted() < maxUncommitted / 2
    ) {
      paused = false;
      consumer.resume([{ topic: input }]);
    }
  }

  async function eachBatch({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const state = partitions.get(batch.partition);
    if (!state) return;
    state.highWatermark = BigInt(batch.highWatermark);
    let taken = 0;
    let last: string | undefined; // resolved once after the loop: kafkajs parses the offset on every call
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || stopRequested || partitions.get(batch.partition) !== state) break;
      const offset = BigInt(message.offset);
      last = message.offset;
      if (state.tracker.seen(offset)) continue; // redelivered after a rejoin: already ours
      // The whole batch is taken even past the limits: it is decoded and in memory already, and leaving the rest
      // unresolved would make kafkajs fetch and decode it again. The overshoot is one fetch (maxBytes).
      state.tracker.add(offset);
      working += 1;
      const key = message.key === null ? null : message.key.toString();
      // A null key orders nothing, so such events get a mailbox each.
      mailboxes.push(key === null ? `${batch.partition}#${message.offset}` : `${batch.partition}:${key}`, {
        state,
        message,
        offset,
        key,
      });
      taken += 1;
    }
    if (last !== undefined) resolveOffset(last);
    consumed?.inc(taken);
    maybePause();
    setInFlight();
    updateLag(state);
  }

  /**
   * Runs the processor; resolves with the publication still in flight, so the concurrency slot frees early.
   * Never rejects: a failure here is the runner's own (a processor's failures are outcomes), so it stops the stage.
   */
  function handle(w: Work): Promise<{ settled: Promise<void> } | undefined> {
    const { state, message } = w;
    if (w.offset > state.maxStarted) state.maxStarted = w.offset;
    const startedAt = performance.now();
    const headers = headersAsStrings(message.headers);
    const span = eventSpan(stage, headers['traceparent'], {
      topic: input,
      partition: state.partition,
      offset: message.offset,
    });
    return execute<Buffer>({
      processor,
      deps: o.deps,
      meta: {
        topic: processor.input,
        partition: state.partition,
        offset: message.offset,
        key: w.key,
        headers,
        timestamp: Number(message.timestamp),
      },
      decode: () => o.codec.decode(processor.input, message.value as Buffer),
      encode,
      retry: runtime.retry,
      // One controller per partition (aborted on revocation or at the shutdown deadline): no per-event
      // AbortSignal.any, whose listeners on long-lived signals cost time and memory at a million events.
      signal: state.revoked.signal,
      log,
      onRetry,
      ...(keyed && w.key !== null ? { keyed: () => keyed.attempt(state.partition, w.key as string) } : {}),
    }).then(
      (outcome) => {
        try {
          return afterExecute(w, outcome, span, startedAt);
        } catch (error) {
          fail(error);
          return undefined;
        }
      },
      (error: unknown) => void fail(error),
    );
  }

  function afterExecute(
    w: Work,
    outcome: Outcome<Buffer>,
    span: TraceSpan,
    startedAt: number,
  ): { settled: Promise<void> } | undefined {
    span.end(outcome.kind, outcome.kind === 'failed' ? outcome.error.code : undefined);
    if (outcome.kind === 'aborted') {
      release(); // stays unfinished: its offset is never committed here
      return undefined;
    }
    // A dead letter and what onDeadLetter emitted leave in one send (or transaction): both or, for the offset, neither.
    const outputs = outputRecords(outcome.outputs, span.traceparent);
    if (keyed && outcome.kind === 'done' && outcome.keyed?.changed && w.key !== null)
      outputs.push(keyed.commit(w.state.partition, w.key, outcome.keyed.result()));
    const records =
      outcome.kind === 'done' ? outputs : [deadLetterRecord(w, outcome.error, outcome.attempts), ...outputs];
    if (exactlyOnce) {
      // Published by the commit's transaction, with the offsets.
      finished(w, outcome, records, startedAt);
      release();
      void commitNow();
      return undefined;
    }
    // While the send fails the event stays unfinished, so its offset is not committed.
    const settled = sender.send(records, w.state.revoked.signal).then(
      (acknowledged) => {
        if (acknowledged) finished(w, outcome, records, startedAt);
        release();
      },
      (error: unknown) => fail(error),
    );
    return { settled };
  }

  function release(): void {
    working -= 1;
    maybeResume();
    keyed?.store.resume();
  }

  function releaseTimer(): void {
    firing -= 1;
    release();
  }

  function finished(
    w: Work,
    outcome: Exclude<Outcome<Buffer>, { kind: 'aborted' }>,
    records: OutRecord[],
    startedAt: number,
  ): void {
    const { state } = w;
    if (partitions.get(state.partition) === state) state.tracker.finish(w.offset, exactlyOnce ? records : undefined);
    counted(outcome, startedAt, !exactlyOnce); // exactly-once: its outputs count when their transaction commits
  }

  function counted(
    outcome: Exclude<Outcome<Buffer>, { kind: 'aborted' }>,
    startedAt: number,
    outputsSent: boolean,
  ): void {
    if (!metrics || !handleSeconds) return;
    if (outputsSent) for (const out of outcome.outputs) producedOf(out.topic)?.inc();
    if (outcome.kind === 'failed') metrics.deadLettered.inc({ stage, code: outcome.error.code });
    handleSeconds[outcome.kind].observe((performance.now() - startedAt) / 1000);
  }

  function outputRecords(
    outputs: readonly { topic: string; key: string; value: Buffer }[],
    /** The handling span's: outputs are its children. */
    traceparent: string | undefined,
  ): OutRecord[] {
    return outputs.map((out) => ({
      topic: o.outputTopics?.[out.topic] ?? prefix + out.topic,
      message: { key: out.key, value: out.value, headers: traceparent ? { traceparent } : NO_HEADERS },
    }));
  }

  function deadLetterRecord(w: Work, error: AsmvsError, attempts: number): OutRecord {
    const facts = {
      stage,
      error,
      attempts,
      sourceTopic: input,
      sourcePartition: w.state.partition,
      sourceOffset: w.message.offset,
      at: new Date(),
    };
    return {
      topic: dlqOf(input),
      message: { key: w.message.key, value: w.message.value, headers: deadLetterHeaders(w.message.headers, facts) },
    };
  }

  // Commits are serialised and coalesced: at most one in flight and one queued behind it.
  let commitRunning: Promise<void> | undefined;
  let commitQueued: Promise<void> | undefined;
  function commitNow(): Promise<void> {
    if (commitQueued) return commitQueued;
    if (commitRunning) {
      commitQueued = commitRunning.then(() => {
        commitQueued = undefined;
        return commitNow();
      });
      return commitQueued;
    }
    commitRunning = commitOnce().finally(() => (commitRunning = undefined));
    return commitRunning;
  }

  async function commitOnce(): Promise<void> {
    const entries: (CommitEntry & { state: PartitionState })[] = [];
    for (const state of partitions.values()) {
      const offset = state.tracker.committable();
      if (offset === undefined) continue;
      const records = exactlyOnce ? state.tracker.peek(offset).flatMap((f) => f.payload ?? []) : [];
      entries.push({ state, partition: state.partition, offset, records });
    }
    if (entries.length === 0) return;
    try {
      await commit(input, entries);
    } catch (error) {
      if (exactlyOnce && isFenced(error))
        return fail(
          new AsmvsError('KAFKA_UNAVAILABLE', `stage ${stage} was fenced: another copy uses its transactional id`, {
            cause: error,
          }),
        );
      log.warn({ err: error }, 'commit failed; will retry');
      return;
    }
    for (const e of entries) {
      e.state.tracker.take(e.offset);
      updateLag(e.state, e.offset);
      if (exactlyOnce) for (const r of e.records) metrics?.produced.inc({ stage, topic: r.topic.slice(prefix.length) });
    }
    metrics?.commits.inc({ stage });
    maybeResume();
  }

  function updateLag(state: PartitionState, committed?: bigint): void {
    if (!metrics || state.highWatermark === undefined) return;
    const position = committed ?? state.tracker.committable() ?? state.tracker.nextExpected;
    if (position !== undefined)
      metrics.lag.set(
        { stage, topic: processor.input, partition: String(state.partition) },
        Number(state.highWatermark - position),
      );
  }

  function revoke(state: PartitionState): void {
    partitions.delete(state.partition);
    keyed?.drop(state.partition);
    state.revoked.abort(new AsmvsError('ABORTED', `partition ${state.partition} was revoked`));
    sender.interrupt();
    const dropped = mailboxes.drop((w) => w.state === state);
    working -= dropped.length;
    firing -= dropped.filter((w) => w.due !== undefined).length;
    setInFlight();
  }

  function onGroupJoin(assignment: Record<string, number[]>): void {
    const now = new Set(assignment[input] ?? []);
    for (const state of [...partitions.values()]) if (!now.has(state.partition)) revoke(state);
    const added: PartitionState[] = [];
    for (const partition of now) {
      if (!partitions.has(partition)) {
        const state: PartitionState = {
          partition,
          tracker: new PartitionOffsets(),
          revoked: new AbortController(),
          maxStarted: -1n,
          drainLimit: undefined,
          highWatermark: undefined,
          loaded: keyed === undefined,
        };
        partitions.set(partition, state);
        added.push(state);
      }
    }
    if (keyed && added.length > 0) loadKeyed(keyed, added);
    assigned = true;
    observeAssignment(metrics, stage, processor.input, now);
    log.info({ partitions: [...now].sort((a, b) => a - b) }, 'assigned');
    // A partition assigned while stopping gets a drain limit below its first offset: nothing starts there.
    if (stopRequested) for (const state of partitions.values()) state.drainLimit ??= state.maxStarted;
    dispatchOpen = true;
    mailboxes.kick();
  }

  /** Dispatch on these partitions starts once their timers and state are loaded. */
  function loadKeyed(k: KeyedPartitions, added: readonly PartitionState[]): void {
    const owned = (p: number) => added.some((s) => s.partition === p && partitions.get(p) === s);
    k.load(
      added.map((s) => s.partition),
      owned,
      loads.signal,
    ).then(
      (loaded) => {
        for (const state of added) if (loaded.includes(state.partition)) state.loaded = true;
        mailboxes.kick();
      },
      (error: unknown) => fail(error),
    );
  }

  function fail(error: unknown): void {
    if (failed !== undefined) return;
    failed = error;
    log.fatal({ err: error }, 'stage failed');
    void stop().finally(() => rejectDone(error));
  }

  async function start(): Promise<void> {
    await o.codec.register([...processor.outputs]);
    await keyed?.start();
    consumer.on(consumer.events.GROUP_JOIN, (e) => onGroupJoin(e.payload.memberAssignment));
    consumer.on(consumer.events.REBALANCING, () => {
      dispatchOpen = false;
      void commitNow();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (e.payload.restart) log.warn({ err: e.payload.error }, 'consumer crashed; kafkajs restarts it');
      else fail(e.payload.error);
    });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [input], fromBeginning });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
    started = true;
    timer = setInterval(() => {
      setInFlight(); // sampled here rather than per event
      void commitNow();
    }, o.commitIntervalMs ?? 100);
    log.info({ input, groupId, concurrency: runtime.concurrency, exactlyOnce }, 'stage started');
  }

  function stop(): Promise<void> {
    stopPromise ??= (async () => {
      stopRequested = true;
      dispatchOpen = assigned;
      keyed?.close(); // no more timers fire here; those pending stay in the topic for the next owner
      loads.abort();
      // Drain: finish what started and the holes below it, start nothing beyond, so that the committed position
      // ends equal to the events finished.
      for (const state of partitions.values()) state.drainLimit = state.maxStarted;
      if (started) consumer.pause([{ topic: input }]);
      mailboxes.kick();
      const timers = new AbortController(); // so that a finished drain leaves no timer keeping the process alive
      const deadline = sleep(runtime.shutdownDeadlineMs, timers.signal).then(
        () => 'deadline' as const,
        () => 'idle' as const,
      );
      const drained = await Promise.race([mailboxes.whenIdle().then(() => 'idle' as const), deadline]);
      if (drained === 'deadline') {
        log.warn({ running: mailboxes.running }, 'shutdown deadline passed; aborting in-flight work');
        dispatchOpen = false;
        for (const state of partitions.values())
          state.revoked.abort(new AsmvsError('ABORTED', 'shutdown deadline passed'));
        sender.interrupt();
        await Promise.race([mailboxes.whenIdle(), sleep(2_000, timers.signal).catch(() => undefined)]);
      }
      timers.abort();
      if (timer) clearInterval(timer);
      if (started) await commitNow();
      await consumer.disconnect().catch((e: unknown) => log.warn({ err: e }, 'consumer disconnect failed'));
      await producer.disconnect().catch((e: unknown) => log.warn({ err: e }, 'producer disconnect failed'));
      log.info('stage stopped');
      if (failed === undefined) resolveDone();
    })();
    return stopPromise;
  }

  return {
    start,
    stop,
    done,
    exactlyOnce,
    health: {
      live: () => failed === undefined,
      ready: () => started && assigned && failed === undefined && !stopRequested,
    },
  };
}

export type { Consumer, Producer };
