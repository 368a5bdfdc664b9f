// Slow work: a 20 ms handler, 1 partition, 1,000 keys. The stage at concurrency 100 vs kafkajs eachMessage
// (partition-serial, as the library gives it). Bounded: the stage handles EVENTS, eachMessage SERIAL_EVENTS. Both
// rates leave start-up out: eachMessage's from its first message, the stage's after its first fifth of outputs.
// Usage: node bench/runtime/slow-work.ts [events=20000] [serialEvents=150]
import '../quiet-kafkajs.ts';
import pino from 'pino';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';
import { fmt, timeDrain } from './common.ts';
import { benchReport } from '../report.ts';

const EVENTS = Number(process.argv[2] ?? 20_000);
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
  const drain = await timeDrain(h, h.output, EVENTS, started, 120_000);
  await runner.stop();
  console.log(`slow work: ${WORK_MS} ms handler, 1 partition, 1,000 keys`);
  console.log(`  kafkajs eachMessage (${fmt(SERIAL_EVENTS)} events)      ${fmt(serialRate, 1)} events/s`);
  console.log(
    `  asmvs stage, concurrency 100 (${fmt(EVENTS)} events) ${fmt(drain.steadyRate, 1)} events/s (timed over ${fmt(drain.steadyMs / 1000, 1)} s after the first 20 %)`,
  );
  benchReport('runtime/slow-work').record({
    figure: `asmvs stage, concurrency 100, ${WORK_MS} ms handlers, 1 partition`,
    value: drain.steadyRate,
    unit: 'events/s',
    baseline: { name: 'kafkajs eachMessage (partition-serial)', value: serialRate },
    goal: { on: 'ratio', op: '≥', limit: 50 },
  });
} finally {
  await h.close();
}
