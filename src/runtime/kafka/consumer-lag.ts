// The consumer-lag gauge of a Kafka stage: per owned partition, its end (high watermark) minus the position it would
// restart from (committed, or the low-water mark of finished work).
import type { StageMetrics } from '../../observability/metrics.ts';
import type { PartitionState } from './partition-states.ts';

export class ConsumerLag {
  readonly #metrics: StageMetrics | undefined;
  readonly #stage: string;
  /** The logical input topic (the label). */
  readonly #topic: string;

  constructor(o: { metrics: StageMetrics | undefined; stage: string; topic: string }) {
    this.#metrics = o.metrics;
    this.#stage = o.stage;
    this.#topic = o.topic;
  }

  /** Sets a partition's lag from what the runner knows of it; `committed` when a commit just moved it. */
  update(state: PartitionState, committed?: bigint): void {
    if (!this.#metrics || state.highWatermark === undefined) return;
    const position = committed ?? state.tracker.committable() ?? state.tracker.nextExpected;
    if (position !== undefined)
      this.#metrics.lag.set(
        { stage: this.#stage, topic: this.#topic, partition: String(state.partition) },
        Number(state.highWatermark - position),
      );
  }
}
