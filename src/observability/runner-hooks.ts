// The few observations the Kafka runner reports from inside (src/runtime/kafka/stage-runner.ts calls these), kept
// here so that the runner holds one line per observation.
import type { StageMetrics } from './metrics.ts';

const lagPartitions = new WeakMap<StageMetrics, Map<string, ReadonlySet<number>>>();

/**
 * A group join gave this copy its partitions: one more rebalance, how many it owns now, and no lag series left for
 * partitions it lost (another copy reports those now; a stale one would count twice in a sum).
 */
export function observeAssignment(
  metrics: StageMetrics | undefined,
  stage: string,
  topic: string,
  owned: ReadonlySet<number>,
): void {
  if (!metrics) return;
  metrics.rebalances.inc({ stage });
  metrics.partitionsAssigned.set({ stage }, owned.size);
  let byStage = lagPartitions.get(metrics);
  if (!byStage) lagPartitions.set(metrics, (byStage = new Map()));
  for (const partition of byStage.get(stage) ?? [])
    if (!owned.has(partition)) metrics.lag.remove({ stage, topic, partition: String(partition) });
  byStage.set(stage, new Set(owned));
}
