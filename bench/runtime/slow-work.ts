// Slow work: a 20 ms handler, 1 partition, 1,000 keys. The stage at concurrency 100 vs kafkajs eachMessage
// (partition-serial, as the library gives it). Bounded: the stage handles EVENTS, eachMessage SERIAL_EVENTS.
// Usage: node bench/runtime/slow-work.ts [events=5000] [serialEvents=150]
import pino from 'pino';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';
import { fmt, waitForRecords } from './common.ts';

const EVENTS = Number(process.argv[2] ?? 5_000);
const SERIAL_EVENTS = Number(process.argv[3] ?? 150);
const WORK_MS = 20;

const h = await createHarness('bench-slow', { partitions: 1 });
try {
  await h.produceRaw(
    Array.from({ length: EVENTS }, (_, i) => ({ key: `asset-${i % 1000}`, seq: Math.floor(i / 1000) })),
  );

  // Baseline: eachMessage, the handler awaited per message (what kafkajs offers for ordered processing).
  const consumer = h.kafka.consumer({ groupId: `${h.prefix}serial`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topics: [h.input], fromBeginning: true });
  let serialDone = 0;
  let serialStart = 0;
  await consumer.run({
    eachMessage: async () => {
      if (serialDone === 0) serialStart = Date.now();
      await delay(WORK_MS);
      serialDone += 1;
    },
  });
  while (serialDone < SERIAL_EVENTS) await delay(10);
  const serialRate = (serialDone / (Date.now() - serialStart)) * 1000;
  await consumer.disconnect();

  const runner = createStageRunner({
    processor: echoProcessor(),
    deps: { delayMs: WORK_MS },
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    runtime: { ...h.config.runtime, concurrency: 100, maxInFlight: 1_000 },
    logger: pino({ level: 'warn' }),
  });
  const started = Date.now();
  await runner.start();
  const ms = await waitForRecords(h, h.output, EVENTS, started, 120_000);
  await runner.stop();
  const stageRate = ms === undefined ? Number.NaN : (EVENTS / ms) * 1000;
  console.log(`slow work: ${WORK_MS} ms handler, 1 partition, 1,000 keys`);
  console.log(`  kafkajs eachMessage (${fmt(SERIAL_EVENTS)} events)      ${fmt(serialRate, 1)} events/s`);
  console.log(
    `  asmvs stage, concurrency 100 (${fmt(EVENTS)} events) ${fmt(stageRate, 1)} events/s (group join included)`,
  );
  console.log(`  ratio ${fmt(stageRate / serialRate, 1)}×   (goal ≥ 50×; ideal ${fmt(100, 0)}×)`);
} finally {
  await h.close();
}
