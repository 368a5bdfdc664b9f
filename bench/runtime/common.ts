// Shared pieces of the runtime benchmarks: topics on the real stack (via the integration harness), a counter of
// records in a topic, and percentile/format helpers. Every benchmark is bounded in count and time.
import { setTimeout as delay } from 'node:timers/promises';
import type { Harness } from '../../test/helpers/kafka-harness.ts';

export async function recordsIn(h: Harness, topic: string): Promise<number> {
  const offsets = await h.admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
}

/** Waits until `topic` holds `count` records; returns the elapsed ms since `since`, or undefined on timeout. */
export async function waitForRecords(
  h: Harness,
  topic: string,
  count: number,
  since: number,
  timeoutMs: number,
): Promise<number | undefined> {
  while (Date.now() - since < timeoutMs) {
    if ((await recordsIn(h, topic)) >= count) return Date.now() - since;
    await delay(25);
  }
  return undefined;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
