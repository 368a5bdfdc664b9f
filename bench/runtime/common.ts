// Shared pieces of the runtime benchmarks: topics on the real stack (via the integration harness), a counter of
// records in a topic, and percentile/format helpers. Every benchmark is bounded in count and time.
import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import type { Harness } from '../../test/helpers/kafka-harness.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';

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

/** A drain timed in two parts: start-up (to the first record out) and the steady rate after the warm-up share. */
export interface Drain {
  /** ms from `since` to the first record in the topic. */
  readonly startupMs: number;
  /** records/s between the moment `warmup` of `count` had arrived and the last one. */
  readonly steadyRate: number;
  /** ms of the steady part. */
  readonly steadyMs: number;
  readonly done: number;
}

/**
 * Waits until `topic` holds `count` records (or the timeout), and times the steady part apart from start-up: group
 * join, first fetches and JIT warm-up fall in the first `warmup` share of the records, which the rate leaves out.
 */
export async function timeDrain(
  h: Harness,
  topic: string,
  count: number,
  since: number,
  timeoutMs: number,
  warmup = 0.2,
): Promise<Drain> {
  let first: number | undefined;
  let from: { at: number; done: number } | undefined;
  let done = 0;
  while (Date.now() - since < timeoutMs) {
    done = await recordsIn(h, topic);
    const at = Date.now();
    first ??= done > 0 ? at : undefined;
    if (from === undefined && done >= count * warmup) from = { at, done };
    if (done >= count) break;
    await delay(10);
  }
  const end = Date.now();
  const steadyMs = from === undefined ? Number.NaN : end - from.at;
  return {
    startupMs: first === undefined ? Number.NaN : first - since,
    steadyRate:
      from !== undefined && done > from.done && steadyMs > 0 ? ((done - from.done) / steadyMs) * 1000 : Number.NaN,
    steadyMs,
    done,
  };
}

/** The runtime's pass-through: the echo processor on the harness's topics, quiet logs (the runtime benches' stage). */
export function echoStage(h: Harness, runtime: Harness['config']['runtime'] = h.config.runtime, groupId?: string) {
  return createStageRunner({
    ...(groupId === undefined ? {} : { groupId }),
    processor: echoProcessor(),
    deps: {},
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    runtime,
    logger: pino({ level: 'warn' }),
  });
}
