// Per-hop latency at low load: one event every 25 ms into a stage; the time from the producer's ack to a
// downstream consumer receiving the stage's output (one hop: fetch, handle, produce, downstream fetch).
// Baseline, same run and broker: the same hop done by raw kafkajs (eachMessage: decode, the same finding, encode,
// send with the same producer settings), on topics of its own. Both start 2 s after the groups joined.
// Usage: node bench/runtime/latency.ts [events=300]
import '../quiet-kafkajs.ts';
import kafkajs from 'kafkajs';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness, type Harness } from '../../test/helpers/kafka-harness.ts';
import { findingOf, rawFinding } from '../../test/helpers/fixtures/events.ts';
import { echoStage, fmt, percentile } from './common.ts';
import { benchReport } from '../report.ts';

const EVENTS = Number(process.argv[2] ?? 300);
const producerOptions = {
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
};

interface Hop {
  readonly input: string;
  readonly output: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Sends EVENTS events one by one into the hop's input; returns the latencies seen downstream, sorted. */
async function measure(h: Harness, label: string, hop: Hop): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const reader = h.kafka.consumer({ groupId: `${h.prefix}${label}-reader`, maxWaitTimeInMs: 50 });
  const producer = h.kafka.producer(producerOptions);
  try {
    await producer.connect();
    await reader.connect();
    await reader.subscribe({ topics: [hop.output], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const t = sentAt.get(message.key?.toString() ?? '');
        if (t !== undefined) latencies.push(performance.now() - t);
      },
    });
    await hop.start();
    await delay(2_000); // both groups joined
    for (let i = 0; i < EVENTS; i += 1) {
      const key = `${label}-${i}`;
      const value = h.codec.encode('raw-findings', rawFinding(key, i));
      await producer.send({ topic: hop.input, acks: -1, messages: [{ key, value }] });
      sentAt.set(key, performance.now());
      await delay(25);
    }
    const deadline = Date.now() + 10_000;
    while (latencies.length < EVENTS && Date.now() < deadline) await delay(20);
    return [...latencies].sort((a, b) => a - b);
  } finally {
    await hop.stop();
    await reader.disconnect();
    await producer.disconnect();
  }
}

function rawHop(h: Harness): Hop {
  const input = `${h.prefix}raw-hop-in`;
  const output = `${h.prefix}raw-hop-out`;
  const consumer = h.kafka.consumer({ groupId: `${h.prefix}raw-hop`, maxWaitTimeInMs: 50 });
  const producer = h.kafka.producer(producerOptions);
  return {
    input,
    output,
    async start() {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [input], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const raw = await h.codec.decode('raw-findings', message.value as Buffer);
          const finding = findingOf(raw, { topic, partition, offset: Number(message.offset) });
          const value = h.codec.encode('normalized-findings', finding);
          await producer.send({ topic: output, acks: -1, messages: [{ key: message.key, value }] });
        },
      });
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

function stageHop(h: Harness): Hop {
  const runner = echoStage(h);
  return { input: h.input, output: h.output, start: () => runner.start(), stop: () => runner.stop() };
}

const h = await createHarness('bench-latency', { partitions: 4 });
try {
  const raw = rawHop(h);
  await h.admin.createTopics({
    waitForLeaders: true,
    topics: [raw.input, raw.output].map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })),
  });
  const base = await measure(h, 'raw', raw);
  const ours = await measure(h, 'stage', stageHop(h));
  console.log(`per-hop latency at 40 events/s (producer ack → downstream consumer), ms:`);
  for (const [name, sorted] of [
    ['raw kafkajs eachMessage', base],
    ['asmvs stage (pass-through)', ours],
  ] as const)
    console.log(
      `  ${name.padEnd(27)} ${fmt(sorted.length)}/${fmt(EVENTS)}  p50 ${fmt(percentile(sorted, 50), 1)}   p90 ${fmt(percentile(sorted, 90), 1)}   p99 ${fmt(percentile(sorted, 99), 1)}   max ${fmt(sorted.at(-1) ?? Number.NaN, 1)}`,
    );
  const report = benchReport('runtime/latency');
  const received = ours.length === EVENTS && base.length === EVENTS;
  for (const p of [50, 99]) {
    report.record({
      figure: `per-hop latency p${p}, asmvs pass-through stage${received ? '' : ' (events lost: see above)'}`,
      value: percentile(ours, p),
      unit: 'ms',
      baseline: { name: `raw kafkajs eachMessage p${p}`, value: percentile(base, p) },
      ...(p === 50 ? { goal: { on: 'value', op: '<', limit: 20 } as const } : {}),
    });
  }
  await h.admin.deleteTopics({ topics: [raw.input, raw.output] }).catch(() => undefined);
} finally {
  await h.close();
}
