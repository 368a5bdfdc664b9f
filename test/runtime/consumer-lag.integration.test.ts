// The consumer-lag gauge (asmvs_consumer_lag) reports only the partitions a copy owns — a revoked partition's series
// is removed, so a sum over copies counts each partition once — and it keeps up with a backlog while the copy holds
// its input paused (nothing is fetched then; the ends are read on a timer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createStageRunner, type StageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { createMetrics, type StageMetrics } from '../../src/observability/metrics.ts';
import { eventually } from '../helpers/eventually.ts';
import { createHarness, type Harness } from '../helpers/kafka-harness.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';

function copy(h: Harness, metrics: StageMetrics, o: { delayMs?: number; maxInFlight?: number } = {}): StageRunner {
  return createStageRunner({
    processor: echoProcessor(),
    deps: { delayMs: o.delayMs ?? 0 },
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    runtime: { ...h.config.runtime, concurrency: 1, maxInFlight: o.maxInFlight ?? 1_000, shutdownDeadlineMs: 1_000 },
    logger: pino({ level: 'silent' }),
    metrics,
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxBytesPerPartition: 2_048 },
    lagRefreshMs: 200,
  });
}

const lagSeries = async (metrics: StageMetrics) =>
  (await metrics.lag.get()).values.map((v) => ({ partition: v.labels.partition, lag: v.value }));

test('a revoked partition leaves the lag gauge of the copy that lost it', { timeout: 120_000 }, async () => {
  const h = await createHarness('lag-revoke', { partitions: 4 });
  const [ma, mb] = [createMetrics(), createMetrics()];
  const a = copy(h, ma);
  const b = copy(h, mb);
  try {
    await h.produceRaw(Array.from({ length: 40 }, (_, seq) => ({ key: `k${seq}`, seq })));
    await a.start();
    await eventually(
      () => lagSeries(ma),
      (s) => s.length === 4,
      { timeoutMs: 30_000 },
    );
    await b.start();
    const [sa, sb] = await eventually(
      async () => [await lagSeries(ma), await lagSeries(mb)],
      ([x, y]) => x!.length + y!.length === 4 && y!.length > 0,
      { timeoutMs: 60_000 },
    );
    const partitions = [...sa!, ...sb!].map((s) => s.partition).sort();
    assert.deepEqual(partitions, ['0', '1', '2', '3'], 'each partition in exactly one copy');
  } finally {
    await b.stop();
    await a.stop();
    await h.close();
  }
});

test('the lag keeps growing with the backlog while the input is paused', { timeout: 120_000 }, async () => {
  const h = await createHarness('lag-paused', { partitions: 1 });
  const metrics = createMetrics();
  // One slow event at a time and two in flight at most: the copy pauses its input almost at once.
  const runner = copy(h, metrics, { delayMs: 60_000, maxInFlight: 2 });
  try {
    await h.produceRaw(Array.from({ length: 20 }, (_, seq) => ({ key: 'k', seq })));
    await runner.start();
    await eventually(
      () => lagSeries(metrics),
      (s) => (s[0]?.lag ?? 0) >= 20,
      { timeoutMs: 30_000 },
    );
    await h.produceRaw(Array.from({ length: 500 }, (_, seq) => ({ key: 'k', seq: 20 + seq })));
    const [series] = await eventually(
      () => lagSeries(metrics),
      (s) => (s[0]?.lag ?? 0) >= 520,
      {
        timeoutMs: 30_000,
      },
    );
    assert.equal(series?.lag, 520, 'nothing was committed: the first event still runs');
  } finally {
    await runner.stop();
    await h.close();
  }
});
