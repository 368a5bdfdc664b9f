// Runtime overhead: a pass-through stage (decode raw finding → emit one finding) vs raw kafkajs consume→produce on
// the same broker and the same messages. Two baselines: bytes copied as they are (what kafkajs alone does) and
// kafkajs with the same Avro decode+encode per message (so the ratio isolates the runtime from Avro's cost).
// Usage: node bench/runtime/throughput.ts [events=50000]
import kafkajs from 'kafkajs';
import pino from 'pino';
import { createHarness, type Harness } from '../../test/helpers/kafka-harness.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';
import { findingOf } from '../../test/helpers/fixtures/events.ts';
import { fmt, waitForRecords } from './common.ts';

const EVENTS = Number(process.argv[2] ?? 50_000);
const TIMEOUT_MS = 120_000;

async function rawBaseline(h: Harness, output: string, avro: boolean): Promise<number | undefined> {
  const consumer = h.kafka.consumer({ groupId: `${h.prefix}raw-${avro}`, maxWaitTimeInMs: 50 });
  const producer = h.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [h.input], fromBeginning: true });
  consumer.on(consumer.events.CRASH, (e) => console.error('baseline consumer crashed:', e.payload.error.message));
  const started = Date.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const messages = [];
      for (const m of batch.messages) {
        if (avro) {
          const raw = await h.codec.decode('raw-findings', m.value as Buffer);
          const value = h.codec.encode(
            'normalized-findings',
            findingOf(raw, { topic: batch.topic, partition: batch.partition, offset: Number(m.offset) }),
          );
          messages.push({ key: m.key, value });
        } else {
          messages.push({ key: m.key, value: m.value });
        }
      }
      // A fetched batch can exceed the broker's request size once re-encoded; send it in slices.
      for (let i = 0; i < messages.length; i += 2_000)
        await producer.send({ topic: output, acks: -1, messages: messages.slice(i, i + 2_000) });
    },
  });
  const ms = await waitForRecords(h, output, EVENTS, started, TIMEOUT_MS);
  await consumer.disconnect();
  await producer.disconnect();
  return ms;
}

async function stage(h: Harness): Promise<number | undefined> {
  const runner = createStageRunner({
    processor: echoProcessor(),
    deps: {},
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    runtime: { ...h.config.runtime, concurrency: 64, maxInFlight: 5_000 },
    logger: pino({ level: 'warn' }),
  });
  const started = Date.now();
  await runner.start();
  const ms = await waitForRecords(h, h.output, EVENTS, started, TIMEOUT_MS);
  await runner.stop();
  return ms;
}

const h = await createHarness('bench-tput', { partitions: 4 });
try {
  const copies = [`${h.prefix}raw-copy`, `${h.prefix}raw-avro`];
  await h.admin.createTopics({
    waitForLeaders: true,
    topics: copies.map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })),
  });
  const items = Array.from({ length: EVENTS }, (_, i) => ({ key: `asset-${i % 1000}`, seq: i }));
  await h.produceRaw(items);
  const rate = (ms: number | undefined) => (ms === undefined ? Number.NaN : (EVENTS / ms) * 1000);
  const rawCopy = rate(await rawBaseline(h, copies[0] as string, false));
  const rawAvro = rate(await rawBaseline(h, copies[1] as string, true));
  const ours = rate(await stage(h));
  console.log(`throughput, ${fmt(EVENTS)} events, 4 partitions, same broker (events/s, group join included):`);
  console.log(`  raw kafkajs eachBatch, bytes copied       ${fmt(rawCopy)}`);
  console.log(`  raw kafkajs eachBatch, Avro decode+encode ${fmt(rawAvro)}`);
  console.log(`  asmvs stage (pass-through, Avro)          ${fmt(ours)}`);
  console.log(
    `  ratio vs raw Avro: ${fmt(ours / rawAvro, 2)}×   ratio vs raw byte copy: ${fmt(ours / rawCopy, 2)}×   (goal ≥ 0.8×)`,
  );
  await h.admin.deleteTopics({ topics: copies }).catch(() => undefined);
} finally {
  await h.close();
}
