// Runtime overhead: a pass-through stage (decode raw finding → emit one finding) vs raw kafkajs consume→produce on
// the same broker and the same messages. Two baselines: bytes copied as they are (what kafkajs alone does) and
// kafkajs with the same Avro decode+encode per message (so the ratio isolates the runtime from Avro's cost). The goal
// (≥ 0.8×) is for that ratio; the one against the byte copy shows what Avro costs and has none. Each phase drains
// the same backlog; its rate is timed after the first fifth of the events had come out (start-up apart), over
// several seconds at the default size. The phases run once per round, in the same order, and each keeps its best
// round (the rounds are printed): a shared broker on a small machine drifts by a tenth or more between drains, and
// one drain each would let that drift decide the ratio.
// Usage: node bench/runtime/throughput.ts [events=500000] [rounds=2]
import '../quiet-kafkajs.ts';
import kafkajs from 'kafkajs';
import { createHarness, type Harness } from '../../test/helpers/kafka-harness.ts';
import { findingOf } from '../../test/helpers/fixtures/events.ts';
import { echoStage, fmt, recordsIn, timeDrain, type Drain } from './common.ts';
import { benchReport } from '../report.ts';

const EVENTS = Number(process.argv[2] ?? 500_000);
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 2));
const TIMEOUT_MS = 180_000;

async function rawBaseline(h: Harness, output: string, avro: boolean, round: number): Promise<Drain> {
  const base = await recordsIn(h, output);
  const consumer = h.kafka.consumer({ groupId: `${h.prefix}raw-${avro}-${round}`, maxWaitTimeInMs: 50 });
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
  const drain = await drainAfter(h, output, base, started);
  await consumer.disconnect();
  await producer.disconnect();
  return drain;
}

async function stage(h: Harness, round: number): Promise<Drain> {
  const base = await recordsIn(h, h.output);
  const runner = echoStage(h, { ...h.config.runtime, concurrency: 64, maxInFlight: 5_000 }, `${h.groupId}-${round}`);
  const started = Date.now();
  await runner.start();
  const drain = await drainAfter(h, h.output, base, started);
  await runner.stop();
  return drain;
}

/** Times the drain of EVENTS new records into `output`, which held `base` before (a later round adds to it). */
function drainAfter(h: Harness, output: string, base: number, started: number): Promise<Drain> {
  const drain = timeDrain(h, output, base + EVENTS, started, TIMEOUT_MS, (base + 0.2 * EVENTS) / (base + EVENTS));
  return drain.then((d) => ({ ...d, done: d.done - base }));
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
  const phases = [
    { name: 'raw kafkajs eachBatch, bytes copied', run: (r: number) => rawBaseline(h, copies[0] as string, false, r) },
    {
      name: 'raw kafkajs eachBatch, Avro decode+encode',
      run: (r: number) => rawBaseline(h, copies[1] as string, true, r),
    },
    { name: 'asmvs stage (pass-through, Avro)', run: (r: number) => stage(h, r) },
  ];
  const drains: Drain[][] = phases.map(() => []);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, p] of phases.entries()) drains[i]!.push(await p.run(round));
    console.log(
      `  round ${round} (events/s): ${phases.map((p, i) => `${p.name} ${fmt(drains[i]!.at(-1)!.steadyRate)}`).join(', ')}`,
    );
  }
  // each phase's best round; NaN when no round could be timed (the report then prints no figure)
  const best = drains.map((ds) => ds.reduce((a, d) => (!(a.steadyRate >= d.steadyRate) ? d : a)));
  console.log(
    `throughput, ${fmt(EVENTS)} events, 4 partitions, same broker (events/s after the first 20 %, best of ${ROUNDS} rounds):`,
  );
  for (const [i, d] of best.entries())
    console.log(
      `  ${phases[i]!.name.padEnd(42)} ${fmt(d.steadyRate).padStart(7)}  (timed over ${fmt(d.steadyMs / 1000, 1)} s; first out after ${fmt(d.startupMs / 1000, 1)} s)`,
    );
  const [copy, avro, ours] = best.map((d) => d.steadyRate) as [number, number, number];
  const report = benchReport('runtime/throughput');
  report.record({
    figure: `asmvs pass-through stage, steady, best of ${ROUNDS} rounds`,
    value: ours,
    unit: 'events/s',
    baseline: { name: `raw kafkajs eachBatch with the same Avro decode+encode, best of ${ROUNDS} rounds`, value: avro },
    goal: { on: 'ratio', op: '≥', limit: 0.8 },
  });
  report.record({
    figure: `asmvs pass-through stage, steady, best of ${ROUNDS} rounds (what Avro costs; the goal is on the ratio above)`,
    value: ours,
    unit: 'events/s',
    baseline: { name: `raw kafkajs eachBatch copying bytes, best of ${ROUNDS} rounds`, value: copy },
  });
  await h.admin.deleteTopics({ topics: copies }).catch(() => undefined);
} finally {
  await h.close();
}
