// Must show: per-key order holds while 100+ keys run concurrently (real Kafka and registry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';
import { createHarness, sequencesByKey } from '../helpers/kafka-harness.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';

test('per-key order holds with 150 keys running concurrently', { timeout: 90_000 }, async () => {
  const h = await createHarness('order', { partitions: 3 });
  const metrics = createMetrics();
  let running = 0;
  let peak = 0;
  const handledOrder = new Map<string, number[]>();
  const runner = createStageRunner({
    processor: echoProcessor(),
    deps: {
      delayMs: 3,
      onAttempt: (raw: RawFinding) => {
        running += 1;
        peak = Math.max(peak, running);
        handledOrder.set(raw.assetId as string, [...(handledOrder.get(raw.assetId as string) ?? []), raw.part]);
        setTimeout(() => (running -= 1), 3);
      },
    },
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    runtime: { ...h.config.runtime, concurrency: 64, maxInFlight: 500 },
    logger: pino({ level: 'silent' }),
    metrics,
  });
  const keys = 150;
  const perKey = 8;
  try {
    const items = [];
    for (let seq = 0; seq < perKey; seq += 1) for (let k = 0; k < keys; k += 1) items.push({ key: `asset-${k}`, seq });
    await h.produceRaw(items);
    await runner.start();
    const out = await h.read(h.output, keys * perKey, 60_000);
    assert.equal(out.length, keys * perKey);
    const byKey = await sequencesByKey(h, out);
    assert.equal(byKey.size, keys);
    for (const [key, seqs] of byKey) assert.deepEqual(seqs, [...Array(perKey).keys()], `order of ${key}`);
    for (const [key, seqs] of handledOrder)
      assert.deepEqual(seqs, [...Array(perKey).keys()], `handling order of ${key}`);
    assert.ok(peak > 10, `keys ran concurrently (peak ${peak})`);
    const text = await metrics.registry.metrics();
    assert.match(text, /asmvs_events_consumed_total\{stage="test_echo",topic="raw-findings"\} 1200/);
  } finally {
    await runner.stop();
    await h.close();
  }
});
