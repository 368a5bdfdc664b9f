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
import type { EachBatchPayload } from 'kafkajs';
import type { AnyProcessor, Logger } from '../../processor.ts';
import type { Codec } from '../../schemas/codec.ts';
import type { StageMetrics } from '../../observability/metrics.ts';
import type { Health } from '../../observability/server.ts';
import { observeAssignment } from '../../observability/runner-hooks.ts';
import { AsmvsError } from '../../errors.ts';
import { declaredSizes, dlqOf } from '../../topics.ts';
import { DEFAULT_TIMERS_IN_FLIGHT, DEFAULT_TIMER_UNACKED_BYTES } from '../../config/schema.ts';
import { KeyedMailboxes } from '../mailboxes.ts';
import { AttemptPipeline } from '../attempt-pipeline.ts';
import { validateProcessor, validateRuntime, type RuntimeSettings } from '../options.ts';
import { sleep } from '../backoff.ts';
import type { DueTimer } from '../keyed/keyed-store.ts';
import { BatchingSender, type OutRecord } from './batching-sender.ts';
import { offsetCommitter, transactionalCommitter } from './commit.ts';
import { createStageClients, type ConsumerTuning } from './stage-clients.ts';
import type { Kafka } from './client.ts';
import { KeyedPartitions } from './keyed-partitions.ts';
import { PartitionStates, type PartitionState } from './partition-states.ts';
import { FlowControl } from './flow-control.ts';
import { CommitLoop } from './commit-loop.ts';
import { ConsumerLag } from './consumer-lag.ts';
import { checkTopics } from './check-topics.ts';
import { BATCH_MARGIN_BYTES, MAX_REQUEST_BYTES } from './record-bytes.ts';
import { EventWork, PartitionTimerWork, kafkaTransport, recordBytes, type KafkaWork } from './kafka-work.ts';
import { kafkaError } from './kafka-errors.ts';
import { Outages, outageBackoff } from '../outages.ts';

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
  /** How often the consumer-lag gauge reads the input's ends (default 5 s; paused partitions fetch nothing). */
  readonly lagRefreshMs?: number;
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

export function createStageRunner(o: StageRunnerOptions): StageRunner {
  validateRuntime(o.runtime);
  validateProcessor(o.processor);
  const { processor, runtime, metrics } = o;
  const stage = processor.name;
  const prefix = o.topicPrefix ?? '';
  const input = prefix + processor.input;
  const groupId = o.groupId ?? `${prefix}asmvs.${stage}`;
  const exactlyOnce = runtime.exactlyOnce && processor.pure === true;
  const log = o.logger.child({ stage });
  const { consumer, producer, newProducer, fromBeginning } = createStageClients(o.kafka, {
    groupId,
    exactlyOnce,
    transactionalId: `${prefix}asmvs.${stage}.${o.instanceId ?? 'default'}`,
    prefix,
    // KAFKA_SESSION_TIMEOUT_MS / KAFKA_HEARTBEAT_INTERVAL_MS, unless the caller tunes them itself.
    tuning: { ...runtime.group, ...o.consumer },
  });

  let stopRequested = false;
  let dispatchOpen = false;
  let started = false;
  let assigned = false;
  let failed: unknown;
  let stopPromise: Promise<void> | undefined;
  let joining: Promise<void> | undefined; // consumer.run(): resolves once the group is joined
  let consumerOut: (() => void) | undefined; // the consumer crashed and kafkajs restarts it
  const starting = new AbortController(); // aborted by stop(): start-up waits give up
  let resolveDone: () => void = () => undefined;
  let rejectDone: (e: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => ((resolveDone = resolve), (rejectDone = reject)));
  done.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

  const partitions = new PartitionStates({ keyed: processor.keyed === true });
  const flow = new FlowControl({
    maxInFlight: runtime.maxInFlight,
    maxUncommitted: o.maxUncommitted ?? (exactlyOnce ? runtime.maxInFlight * 2 : runtime.maxInFlight * 10),
    // Due timers count as work in progress until their outputs are acknowledged, like received events, in two
    // windows: few are handled at once (STAGE_MAX_TIMERS_IN_FLIGHT), and once handled a timer holds only its
    // records until they are acknowledged (STAGE_TIMER_UNACKED_BYTES of them at most), so that a produce request
    // carries many timers while few hold a value being handled. The rest wait in the heap, due. What each window
    // costs and buys is measured in bench/runtime/timers-reload.ts (README, durable timers).
    maxTimersInFlight: Math.min(runtime.maxInFlight, runtime.maxTimersInFlight ?? DEFAULT_TIMERS_IN_FLIGHT),
    maxTimerBytesUnacked: runtime.timerUnackedBytes ?? DEFAULT_TIMER_UNACKED_BYTES,
    uncommitted: () => partitions.uncommitted(),
    pause: () => consumer.pause([{ topic: input }]),
    resume: () => consumer.resume([{ topic: input }]),
  });
  // Infrastructure that does not answer: what met it waits (retry budgets untouched), the input pauses, not ready.
  const outages = new Outages({
    stage,
    log,
    metrics,
    backoff: outageBackoff(runtime),
    onChange: (unavailable) => flow.hold(unavailable),
  });
  // max.message.bytes of each topic the stage writes, learnt at start: an output larger is dead-lettered.
  const messageLimits = new Map<string, number>();
  // Exactly-once publishes through the commit's transactions (a transactional producer is fenced, never replaced).
  const sender = new BatchingSender(producer, {
    retry: runtime.retry,
    log,
    outages,
    fresh: exactlyOnce ? undefined : newProducer,
  });
  const lag = new ConsumerLag({
    metrics,
    stage,
    topic: processor.input,
    physicalTopic: input,
    groupId,
    partitions,
    kafka: o.kafka,
    log,
  });
  const commits = new CommitLoop({
    stage,
    input,
    prefix,
    partitions,
    commit: exactlyOnce ? transactionalCommitter(producer, groupId, () => sender.capBytes) : offsetCommitter(consumer),
    exactlyOnce,
    log,
    metrics,
    onCommitted: (committed) => {
      for (const c of committed) lag.update(c.state);
      flow.maybeResume();
    },
    onFailure: fail,
  });
  const setInFlight = () => metrics?.inFlight.set({ stage }, flow.working);
  const consumed = metrics?.consumed.labels({ stage, topic: processor.input });

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
        mayFire: () => flow.mayFire(),
      })
    : undefined;
  const loads = new AbortController(); // aborted on stop: pending keyed-state loads give up

  const pipeline = new AttemptPipeline<KafkaWork, OutRecord>({
    processor,
    deps: o.deps,
    codec: o.codec,
    retry: runtime.retry,
    log,
    metrics,
    sourceTopics: { input, timers: keyed?.topic ?? `${prefix}keyed-state` },
    transport: kafkaTransport({
      prefix,
      outputTopics: o.outputTopics,
      deadLetterTopic: dlqOf(input),
      sender: exactlyOnce ? undefined : sender, // exactly-once: published by the commit's transaction
      messageLimits,
    }),
    keyed,
    outages,
    onSend,
    onEnd,
    onFailure: fail,
  });

  // Partitions take turns (mailboxes.ts, lanes) in stages that ask for it: a backlog starts in about the order it was
  // produced.
  const mailboxes = new KeyedMailboxes<KafkaWork>({
    concurrency: runtime.concurrency,
    lanes: processor.partitionTurns === true,
    // The sender publishes in the order attempts hand it their records and retries a failed request before any
    // later one (exactly-once: the transaction holds them in order), so a key's outputs stay in order without the
    // key waiting for each acknowledgement: a busy key (one request's progress) is not held to one round trip per
    // event. Offsets still wait for the acknowledgements (onEnd).
    orderedSettles: true,
    mayStart: (w) =>
      dispatchOpen &&
      w.state.loaded &&
      partitions.owns(w.state) &&
      // A timer already queued runs even while draining: the key's events behind it wait for it.
      (w.due !== undefined || w.state.drainLimit === undefined || w.position <= w.state.drainLimit),
    run: (w) => {
      if (w.due === undefined && w.position > w.state.maxStarted) w.state.maxStarted = w.position;
      return pipeline.run(w);
    },
  });

  /** The work is over: an acknowledged event is finished (its offset may be committed); its slot frees up. */
  function onEnd(w: KafkaWork, acknowledged: boolean, records: readonly OutRecord[] | undefined): void {
    if (w.due === undefined) {
      // While its send fails an event stays unfinished, so its offset is not committed.
      if (acknowledged && partitions.owns(w.state))
        w.state.tracker.finish(w.position, exactlyOnce ? records : undefined);
      flow.released(false);
      if (exactlyOnce && acknowledged) void commits.now();
    } else {
      flow.released(true, w.sentBytes);
    }
    keyed?.store.resume();
  }

  /** A handled timer's records go to the producer: its handling slot frees, its bytes wait for the acknowledgement. */
  function onSend(w: KafkaWork, records: readonly OutRecord[]): void {
    if (w.due === undefined) return;
    w.sentBytes = recordBytes(records);
    flow.timerSent(w.sentBytes);
    // After the attempt returns (this runs inside it): timers that fire now start in the slot it frees.
    queueMicrotask(() => keyed?.store.resume());
  }

  /** A timer is due: it queues behind its key's events (the store calls this in due order). */
  function onDue(due: DueTimer): void {
    const state = partitions.get(due.partition);
    if (!state) return;
    flow.timerDue();
    mailboxes.push(due.key, new PartitionTimerWork(state, due), due.partition); // behind its key's events
    flow.maybePause();
  }

  async function eachBatch({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const state = partitions.get(batch.partition);
    if (!state) return;
    state.highWatermark = BigInt(batch.highWatermark);
    let taken = 0;
    let last: string | undefined; // resolved once after the loop: kafkajs parses the offset on every call
    // Asked once: nothing in the loop awaits, so kafkajs's answers cannot change in it (isStale builds a key per call).
    const current = isRunning() && !isStale();
    for (const message of batch.messages) {
      if (!current || stopRequested || !partitions.owns(state)) break;
      const offset = BigInt(message.offset);
      last = message.offset;
      if (state.tracker.seen(offset)) continue; // redelivered after a rejoin: already ours
      // The whole batch is taken even past the limits: it is decoded and in memory already, and leaving the rest
      // unresolved would make kafkajs fetch and decode it again. The overshoot is one fetch (maxBytes).
      state.tracker.add(offset);
      flow.received(1);
      const key = message.key === null ? null : message.key.toString();
      // A null key orders nothing, so such events get a mailbox each. A key's mailbox is named by the key alone, no
      // string built per event: a key written to two partitions (another partitioner) only has its events serialized
      // (in the lane of the partition it came from first).
      mailboxes.push(
        key ?? `${batch.partition}#${message.offset}`,
        new EventWork(state, message, offset, key),
        batch.partition,
      );
      taken += 1;
    }
    if (last !== undefined) resolveOffset(last);
    consumed?.inc(taken);
    flow.maybePause();
    setInFlight();
    lag.update(state);
  }

  /** A partition is lost: what waits for it never starts here (the new owner redoes it from the commit). */
  function revoked(state: PartitionState): void {
    lag.remove(state);
    keyed?.drop(state.partition);
    sender.interrupt();
    const dropped = mailboxes.drop((w) => w.state === state);
    const timers = dropped.filter((w) => w.due !== undefined).length;
    flow.dropped(dropped.length - timers, timers);
    setInFlight();
  }

  function onGroupJoin(assignment: Record<string, number[]>): void {
    const { revoked: lost, added } = partitions.assign(assignment[input] ?? []);
    for (const state of lost) revoked(state);
    if (keyed && added.length > 0) loadKeyed(keyed, added);
    assigned = true;
    consumerOut?.();
    consumerOut = undefined;
    flow.reapply();
    observeAssignment(metrics, stage, processor.input, new Set(partitions.numbers()));
    log.info({ partitions: partitions.numbers() }, 'assigned');
    // A partition assigned while stopping gets a drain limit below its first offset: nothing starts there.
    if (stopRequested) partitions.drain();
    dispatchOpen = true;
    mailboxes.kick();
  }

  /** Dispatch on these partitions starts once their timers and state are loaded. */
  function loadKeyed(k: KeyedPartitions, added: readonly PartitionState[]): void {
    const owned = (p: number) => added.some((s) => s.partition === p && partitions.owns(s));
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

  /**
   * Connects and joins, waiting for the registry and the broker while they do not answer (a stage started during an
   * outage waits for it, not ready); any other failure is thrown. A stop() meanwhile ends the waits: start() then
   * resolves, and the stop finishes leaving things as they were.
   */
  async function start(): Promise<void> {
    const step = <T>(what: string, f: () => Promise<T>) =>
      outages.until(f, (error) => kafkaError(error, what), starting.signal);
    try {
      await step('registering output schemas', () => o.codec.register([...processor.outputs]));
      // The input's first values then decode without waiting for the registry (a range's first hosts do).
      await o.codec.prime([processor.input]);
      // each written topic, logical name then physical: the keyed-state topic declares no size
      const writes: (readonly [string, string])[] = [
        ...processor.outputs.map((t) => [t, o.outputTopics?.[t] ?? prefix + t] as const),
        [dlqOf(processor.input), dlqOf(input)],
      ];
      const written = [...writes.map(([, physical]) => physical), ...(keyed ? [keyed.topic] : [])];
      const limits = await step('checking topics', () =>
        checkTopics(o.kafka, [input, ...written], written, log, declaredSizes(writes)),
      );
      for (const [topic, bytes] of limits) messageLimits.set(topic, bytes);
      // A request's records may all go to one partition: it fits the least any written topic takes.
      sender.capBytes = Math.min(MAX_REQUEST_BYTES, ...[...limits.values()].map((b) => b - BATCH_MARGIN_BYTES));
      if (keyed) await step('checking the keyed-state topic', () => keyed.start());
      consumer.on(consumer.events.GROUP_JOIN, (e) => onGroupJoin(e.payload.memberAssignment));
      consumer.on(consumer.events.REBALANCING, () => {
        dispatchOpen = false;
        void commits.now();
      });
      consumer.on(consumer.events.CRASH, (e) => {
        if (!e.payload.restart) return fail(e.payload.error);
        log.warn({ err: e.payload.error }, 'consumer crashed; kafkajs restarts it');
        // Back when it has joined again (GROUP_JOIN).
        consumerOut ??= outages.enter(
          new AsmvsError('KAFKA_UNAVAILABLE', `consumer: ${e.payload.error.message}`, { cause: e.payload.error }),
        );
      });
      await step('connecting the producer', () => producer.connect());
      await step('connecting the consumer', () => consumer.connect());
      await step('subscribing', () => consumer.subscribe({ topics: [input], fromBeginning }));
    } catch (error) {
      if (stopRequested) return; // the waits ended because we stop
      throw error;
    }
    if (stopRequested) return;
    // Joining may take a while (the group's other members rejoin first). A stop() meanwhile waits for the join to
    // end and then leaves the group: kafkajs 2.2.4 does not leave a group it is still joining, and a disconnect
    // mid-join makes it restart the consumer.
    log.info({ groupId }, 'joining the group');
    joining = consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
    await joining;
    started = true;
    commits.every(o.commitIntervalMs ?? 100, setInFlight); // in flight sampled here rather than per event
    lag.every(o.lagRefreshMs ?? 5_000);
    log.info({ input, groupId, concurrency: runtime.concurrency, exactlyOnce }, 'stage started');
  }

  function stop(): Promise<void> {
    stopPromise ??= (async () => {
      stopRequested = true;
      starting.abort(new AsmvsError('ABORTED', 'the stage is stopping'));
      dispatchOpen = assigned;
      keyed?.close(); // no more timers fire here; those pending stay in the topic for the next owner
      loads.abort();
      // Drain: finish what started and the holes below it, start nothing beyond, so that the committed position
      // ends equal to the events finished.
      partitions.drain();
      flow.stop();
      mailboxes.kick();
      await joining?.catch(() => undefined);
      const timers = new AbortController(); // so that a finished drain leaves no timer keeping the process alive
      const deadline = sleep(runtime.shutdownDeadlineMs, timers.signal).then(
        () => 'deadline' as const,
        () => 'idle' as const,
      );
      const drained = await Promise.race([mailboxes.whenIdle().then(() => 'idle' as const), deadline]);
      if (drained === 'deadline') {
        log.warn({ running: mailboxes.running }, 'shutdown deadline passed; aborting in-flight work');
        dispatchOpen = false;
        partitions.abortAll('shutdown deadline passed');
        sender.interrupt();
        await Promise.race([mailboxes.whenIdle(), sleep(2_000, timers.signal).catch(() => undefined)]);
      }
      timers.abort();
      commits.stopTimer();
      if (started) await commits.now();
      await consumer.disconnect().catch((e: unknown) => log.warn({ err: e }, 'consumer disconnect failed'));
      await sender.producer.disconnect().catch((e: unknown) => log.warn({ err: e }, 'producer disconnect failed'));
      consumerOut?.();
      await lag.stop();
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
      ready: () => started && assigned && failed === undefined && !stopRequested && !outages.unavailable,
    },
  };
}
