// Per-hop latency at low load: one event every 25 ms into a stage; the time from the producer's ack to a
// downstream consumer receiving the stage's output (one hop: fetch, handle, produce, downstream fetch).
// Usage: node bench/runtime/latency.ts [events=300]
import pino from 'pino';
import kafkajs from 'kafkajs';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';
import { rawFinding } from '../../test/helpers/fixtures/events.ts';
import { fmt, percentile } from './common.ts';

const EVENTS = Number(process.argv[2] ?? 300);
const h = await createHarness('bench-latency', { partitions: 4 });
const runner = createStageRunner({
  processor: echoProcessor(),
  deps: {},
  kafka: h.kafka,
  codec: h.codec,
  topicPrefix: h.prefix,
  runtime: h.config.runtime,
  logger: pino({ level: 'warn' }),
});
const reader = h.kafka.consumer({ groupId: `${h.prefix}latency-reader`, maxWaitTimeInMs: 50 });
const producer = h.kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
});
try {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  await producer.connect();
  await reader.connect();
  await reader.subscribe({ topics: [h.output], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      const t = sentAt.get(key);
      if (t !== undefined) latencies.push(performance.now() - t);
    },
  });
  await runner.start();
  await delay(2_000); // both groups joined
  for (let i = 0; i < EVENTS; i += 1) {
    const key = `k-${i}`;
    const value = h.codec.encode('raw-findings', rawFinding(key, i));
    await producer.send({ topic: h.input, acks: -1, messages: [{ key, value }] });
    sentAt.set(key, performance.now());
    await delay(25);
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < EVENTS && Date.now() < deadline) await delay(20);
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `per-hop latency, ${fmt(latencies.length)}/${fmt(EVENTS)} events at 40 events/s (producer ack → downstream consumer):`,
  );
  console.log(
    `  p50 ${fmt(percentile(sorted, 50), 1)} ms   p90 ${fmt(percentile(sorted, 90), 1)} ms   p99 ${fmt(percentile(sorted, 99), 1)} ms   max ${fmt(sorted.at(-1) ?? Number.NaN, 1)} ms   (goal p50 < 20 ms)`,
  );
} finally {
  await runner.stop();
  await reader.disconnect();
  await producer.disconnect();
  await h.close();
}
