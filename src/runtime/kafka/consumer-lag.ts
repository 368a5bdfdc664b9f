// The consumer-lag gauge of a Kafka stage: per owned partition, its end (high watermark) minus the position it would
// restart from (the first offset not committed yet). A fetched batch tells a partition's end, but a paused partition
// fetches nothing, so the ends are also read on a timer (one ListOffsets request, and the group's committed offsets
// for partitions nothing was received from yet): the lag of a stage that holds back keeps growing with its backlog
// instead of freezing. A revoked partition's series is removed: its new owner reports it, and a sum over copies must
// not count it twice.
import type { StageMetrics } from '../../observability/metrics.ts';
import type { Logger } from '../../processor.ts';
import type { Kafka } from './client.ts';
import type { PartitionState, PartitionStates } from './partition-states.ts';

export interface ConsumerLagOptions {
  readonly metrics: StageMetrics | undefined;
  readonly stage: string;
  /** The logical input topic (the label). */
  readonly topic: string;
  /** The physical input topic (whose ends are read). */
  readonly physicalTopic: string;
  readonly groupId: string;
  readonly partitions: PartitionStates;
  readonly kafka: Kafka;
  readonly log: Logger;
}

export class ConsumerLag {
  readonly #o: ConsumerLagOptions;
  #timer: NodeJS.Timeout | undefined;
  #admin: ReturnType<Kafka['admin']> | undefined;
  #refreshing = false;
  #stopped = false;

  constructor(o: ConsumerLagOptions) {
    this.#o = o;
  }

  /** Sets a partition's lag from what the runner knows of it (`position`: where it restarts, if known otherwise). */
  update(state: PartitionState, position: bigint | undefined = state.tracker.restartAt): void {
    const { metrics } = this.#o;
    // A commit may end after its partition was revoked: its series is gone and stays gone.
    if (!metrics || state.highWatermark === undefined || this.#stopped || !this.#o.partitions.owns(state)) return;
    if (position !== undefined) metrics.lag.set(this.#labels(state), Number(state.highWatermark - position));
  }

  /** The partition is no longer ours: its series goes. */
  remove(state: PartitionState): void {
    this.#o.metrics?.lag.remove(this.#labels(state));
  }

  /** Reads the partitions' ends every `intervalMs` (only with metrics). */
  every(intervalMs: number): void {
    if (!this.#o.metrics) return;
    this.#timer = setInterval(() => void this.refresh(), intervalMs);
    this.#timer.unref();
  }

  /** Reads the ends now and updates every owned partition's lag (a failure waits for the next tick). */
  async refresh(): Promise<void> {
    if (this.#refreshing || this.#stopped) return;
    this.#refreshing = true;
    try {
      if (!this.#admin) {
        const admin = this.#o.kafka.admin();
        await admin.connect();
        if (this.#stopped) return void (await admin.disconnect());
        this.#admin = admin;
      }
      const admin = this.#admin;
      const ends = await admin.fetchTopicOffsets(this.#o.physicalTopic);
      // Partitions nothing was received from yet restart at the group's committed offset, or at their beginning.
      const idle = [...this.#o.partitions.values()].some((s) => s.tracker.restartAt === undefined);
      const committed = idle
        ? new Map(
            (
              (await admin.fetchOffsets({ groupId: this.#o.groupId, topics: [this.#o.physicalTopic] }))[0]
                ?.partitions ?? []
            )
              .filter((p) => Number(p.offset) >= 0)
              .map((p) => [p.partition, BigInt(p.offset)]),
          )
        : undefined;
      for (const end of ends) {
        const state = this.#o.partitions.get(end.partition);
        if (!state) continue;
        const high = BigInt(end.high);
        if (state.highWatermark === undefined || high > state.highWatermark) state.highWatermark = high;
        this.update(state, state.tracker.restartAt ?? committed?.get(end.partition) ?? BigInt(end.low));
      }
    } catch (error) {
      this.#o.log.debug({ err: error }, 'reading the input ends for the lag failed; next tick');
    } finally {
      this.#refreshing = false;
    }
  }

  /** Stops the timer and removes every series of this stage's partitions. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const state of this.#o.partitions.values()) this.remove(state);
    await this.#admin?.disconnect().catch(() => undefined);
    this.#admin = undefined;
  }

  #labels(state: PartitionState): { stage: string; topic: string; partition: string } {
    return { stage: this.#o.stage, topic: this.#o.topic, partition: String(state.partition) };
  }
}
