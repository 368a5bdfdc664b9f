// The few observations the Kafka runner reports from inside (src/runtime/kafka/stage-runner.ts calls these), kept
// here so that the runner holds one line per observation.
import type { StageMetrics } from './metrics.ts';

/** A group join gave this copy its partitions: one more rebalance, and how many it owns now. */
export function observeAssignment(metrics: StageMetrics | undefined, stage: string, owned: number): void {
  metrics?.rebalances.inc({ stage });
  metrics?.partitionsAssigned.set({ stage }, owned);
}
