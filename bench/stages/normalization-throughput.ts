// vs_normalization on Kafka vs the runtime's pass-through (the echo stage of bench/runtime/throughput.ts) on the
// same broker, the same input records and the same runtime settings. Each raw event is a one-check report, so
// findings/s = raw events/s; vs_normalization also writes one scan summary per event (scan-results).
// Usage: node bench/stages/normalization-throughput.ts [events=100000]
import pino from 'pino';
import kafkajs from 'kafkajs';
import { createHarness, type Harness } from '../../test/runtime/kafka-harness.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { vsNormalization } from '../../src/processors/vs-normalization.ts';
import { echoProcessor } from '../../test/runtime/fixtures/echo-processor.ts';
import { fmt, waitForRecords } from '../runtime/common.ts';
import { checksRawEvent } from './raw-events.ts';

const EVENTS = Number(process.argv[2] ?? 100_000);
const TIMEOUT_MS = 180_000;

async function produce(h: Harness): Promise<void> {
  const producer = h.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  for (let i = 0; i < EVENTS; i += 2_000) {
    const messages = [];
    for (let j = i; j < Math.min(EVENTS, i + 2_000); j++) {
      const raw = checksRawEvent(j);
      messages.push({ key: raw.assetId, value: h.codec.encode('raw-findings', raw) });
    }
    await producer.send({ topic: h.input, acks: -1, messages });
  }
  await producer.disconnect();
}

/** Events/s of one stage draining the input into normalized-findings (records there reach `target`). */
async function rate(
  h: Harness,
  processor: AnyProcessor,
  deps: unknown,
  groupId: string,
  target: number,
): Promise<number> {
  const runner = createStageRunner({
    processor,
    deps,
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    groupId,
    runtime: { ...h.config.runtime, concurrency: 64, maxInFlight: 5_000 },
    logger: pino({ level: 'warn' }),
  });
  const started = Date.now();
  await runner.start();
  const ms = await waitForRecords(h, h.output, target, started, TIMEOUT_MS);
  await runner.stop();
  return ms === undefined ? Number.NaN : (EVENTS / ms) * 1000;
}

const h = await createHarness('bench-norm', { partitions: 4 });
const summaries = `${h.prefix}scan-results`;
try {
  await h.codec.register(['scan-results']);
  await h.admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: summaries, numPartitions: 4, replicationFactor: 1 }],
  });
  await produce(h);
  const passThrough = await rate(h, echoProcessor() as unknown as AnyProcessor, {}, `${h.prefix}echo`, EVENTS);
  const normalization = { normalize: normalizeRaw, now: Date.now };
  const ours = await rate(h, vsNormalization as unknown as AnyProcessor, normalization, `${h.prefix}norm`, 2 * EVENTS);
  // the same stage with the summaries left out (as for incomplete scans): the cost of the second output
  const findingsOnly = {
    normalize: (...a: Parameters<typeof normalizeRaw>) => ({ ...normalizeRaw(...a), complete: false }),
    now: Date.now,
  };
  const noSummary = await rate(
    h,
    vsNormalization as unknown as AnyProcessor,
    findingsOnly,
    `${h.prefix}norm-only`,
    3 * EVENTS,
  );
  console.log(
    `vs_normalization on Kafka, ${fmt(EVENTS)} raw events (one finding each), 4 partitions, same broker, group join included:`,
  );
  console.log(`  runtime pass-through (echo stage)          ${fmt(passThrough)} events/s`);
  console.log(`  vs_normalization (+ one scan summary each) ${fmt(ours)} findings/s`);
  console.log(`  vs_normalization, findings only           ${fmt(noSummary)} findings/s`);
  console.log(
    `  ratio: ${fmt(ours / passThrough, 2)}× (findings only: ${fmt(noSummary / passThrough, 2)}×)   (goal ≥ 0.8×)`,
  );
} finally {
  await h.admin.deleteTopics({ topics: [summaries] }).catch(() => undefined);
  await fetch(
    `${process.env['SCHEMA_REGISTRY_URL'] || 'http://127.0.0.1:8081/apis/ccompat/v7'}/subjects/${encodeURIComponent(`${h.prefix}scan-results-value`)}`,
    { method: 'DELETE' },
  ).catch(() => undefined);
  await h.close();
}
