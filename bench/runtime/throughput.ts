// Runtime overhead: a pass-through stage (decode raw finding → emit one finding) vs raw kafkajs consume→produce on
// the same broker and the same messages. Two baselines: bytes copied as they are (what kafkajs alone does) and
// kafkajs with the same Avro decode+encode per message (so the ratio isolates the runtime from Avro's cost). The goal
// (≥ 0.8×) is for that ratio; the one against the byte copy shows what Avro costs and has none. Each phase drains
// the same backlog; its rate is timed after the first fifth of the events had come out (start-up apart), over
// several seconds at the default size.
// Usage: node bench/runtime/throughput.ts [events=500000]
import '../quiet-kafkajs.ts';
import kafkajs from 'kafkajs';
import { createHarness, type Harness } from '../../test/helpers/kafka-harness.ts';
import { findingOf } from '../../test/helpers/fixtures/events.ts';
import { echoStage, fmt, timeDrain, type Drain } from './common.ts';
import { benchReport } from '../report.ts';

const EVENTS = Number(process.argv[2] ?? 500_000);
const TIMEOUT_MS = 180_000;

async function rawBaseline(h: Harness, output: string, avro: boolean): Promise<Drain> {
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
  const drain = await timeDrain(h, output, EVENTS, started, TIMEOUT_MS);
  await consumer.disconnect();
  await producer.disconnect();
  return drain;
}

async function stage(h: Harness): Promise<Drain> {
  const runner = echoStage(h, { ...h.config.runtime, concurrency: 64, maxInFlight: 5_000 });
  const started = Date.now();
  await runner.start();
  const drain = await timeDrain(h, h.output, EVENTS, started, TIMEOUT_MS);
  await runner.stop();
  return drain;
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
  const phases: [string, Drain][] = [
    ['raw kafkajs eachBatch, bytes copied', await rawBaseline(h, copies[0] as string, false)],
    ['raw kafkajs eachBatch, Avro decode+encode', await rawBaseline(h, copies[1] as string, true)],
    ['asmvs stage (pass-through, Avro)', await stage(h)],
  ];
  console.log(`throughput, ${fmt(EVENTS)} events, 4 partitions, same broker (events/s after the first 20 %):`);
  for (const [name, d] of phases)
    console.log(
      `  ${name.padEnd(42)} ${fmt(d.steadyRate).padStart(7)}  (timed over ${fmt(d.steadyMs / 1000, 1)} s; first out after ${fmt(d.startupMs / 1000, 1)} s)`,
    );
  const [copy, avro, ours] = phases.map(([, d]) => d.steadyRate) as [number, number, number];
  const report = benchReport('runtime/throughput');
  report.record({
    figure: 'asmvs pass-through stage, steady',
    value: ours,
    unit: 'events/s',
    baseline: { name: 'raw kafkajs eachBatch with the same Avro decode+encode', value: avro },
    goal: { on: 'ratio', op: '≥', limit: 0.8 },
  });
  report.record({
    figure: 'asmvs pass-through stage, steady (what Avro costs; the goal is on the ratio above)',
    value: ours,
    unit: 'events/s',
    baseline: { name: 'raw kafkajs eachBatch copying bytes', value: copy },
  });
  await h.admin.deleteTopics({ topics: copies }).catch(() => undefined);
} finally {
  await h.close();
}
