// Durable timers at scale (#7): N pending timers (default 100,000) of asm_scheduler across 12 partitions, written to
// the keyed-state topic before the stage starts. The stage process (the real asm_scheduler, CLI-like fixture)
// then reloads them on assignment and fires them all within a 10 s window. Reports: reload time (vs a plain
// kafkajs read of the same topic in this process: the baseline), firing lateness p50/p99/max, and the stage's
// peak RSS (VmHWM). Bounded: gives up after LIMIT_S.
// Usage: node bench/runtime/timers-reload.ts [timers=100000] [limitSeconds=180]
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { provisionTopics } from '../../src/runtime/kafka/provision-topics.ts';
import { murmur2 } from '../../src/runtime/kafka/partitioner.ts';
import { keyedRecordKey } from '../../src/runtime/kafka/keyed-state-loader.ts';
import { createRegistryCodec } from '../../src/schemas/codec.ts';
import { topicSpecs } from '../../src/topics.ts';
import type { Config } from '../../src/config/config.ts';
import { stackConfig, uniquePrefix, SCHEMA_REGISTRY_URL } from '../../test/helpers/stack.ts';
import { monitorEvent } from '../../test/runtime/fixtures/monitor-event.ts';
import { spawnStage } from '../../test/runtime/stage-process.ts';
import { fmt, percentile } from './common.ts';

const TIMERS = Number(process.argv[2] ?? 100_000);
const LIMIT_S = Number(process.argv[3] ?? 180);
const PARTITIONS = 12;
const HOUR = 3_600_000;
const peakKb = (pid: number) => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // it exited between the check and the read
  }
};

const prefix = uniquePrefix('bench-timers');
const config = stackConfig({ TOPIC_PREFIX: prefix });
const kafka = createKafka(config.kafka as NonNullable<Config['kafka']>, 'bench-timers');
await provisionTopics(kafka, topicSpecs({ rawFindingsRetentionMs: -1 }), {
  prefix,
  partitions: PARTITIONS,
  replicationFactor: 1,
});
const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
await codec.register(['monitors', 'keyed-state', 'discovery-requests']);
const topic = `${prefix}keyed-state`;

// Seed: one monitor per key, each with its "round" timer due in a 10 s window that opens 25 s from now.
const seededAt = Date.now();
const windowStart = seededAt + 25_000;
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
for (let i = 0; i < TIMERS; i += 1_000) {
  const messages = Array.from({ length: Math.min(1_000, TIMERS - i) }, (_, j) => {
    const n = i + j;
    const target = `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    const value = codec.encode('keyed-state', {
      stage: 'asm_scheduler',
      key: target,
      state: JSON.stringify({ everyMs: HOUR, lastDueAt: null }),
      timers: [
        {
          id: 'round',
          at: windowStart + Math.floor((n * 10_000) / TIMERS),
          scheduledAt: seededAt,
          value: codec.encode('monitors', monitorEvent(target, HOUR)),
        },
      ],
      updatedAt: seededAt,
    });
    const partition = (murmur2(target) & 0x7fffffff) % PARTITIONS;
    return { key: keyedRecordKey('asm_scheduler', target), value, partition };
  });
  await producer.send({ topic, acks: -1, messages });
}
await producer.disconnect();
console.log(`seeded ${fmt(TIMERS)} timers in ${fmt((Date.now() - seededAt) / 1000, 1)} s; due from +25 s for 10 s`);

// Baseline: a plain kafkajs read of the whole topic, no decoding.
const baselineMs = await plainRead();
console.log(`baseline: kafkajs reads the ${fmt(TIMERS)} records in ${fmt(baselineMs)} ms`);

const stageStart = Date.now();
const p = spawnStage(
  'asm_scheduler',
  {
    TOPIC_PREFIX: prefix,
    MONITOR_MIN_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    FIXTURE_MEMORY_LOG_MS: '250',
    ...(process.env['STAGE_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['STAGE_NODE_OPTIONS'] } : {}),
    ...(process.env['STAGE_MALLOC_ARENA_MAX'] ? { MALLOC_ARENA_MAX: process.env['STAGE_MALLOC_ARENA_MAX'] } : {}),
  },
  'scheduler-process.ts',
);
let peak = 0;
const requests = `${prefix}discovery-requests`;
const fired = async () => {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(requests);
  await admin.disconnect();
  return offsets.reduce((n, o) => n + Number(o.high), 0);
};
const running = () => p.child.exitCode === null && p.child.signalCode === null;
while (Date.now() - stageStart < LIMIT_S * 1000 && running() && (await fired()) < TIMERS) {
  peak = Math.max(peak, peakKb(p.child.pid as number));
  await delay(200);
}
peak = Math.max(peak, running() ? peakKb(p.child.pid as number) : 0);
const exitedEarly = p.child.exitCode !== null || p.child.signalCode !== null;
console.log(`stage ran ${fmt((Date.now() - stageStart) / 1000, 1)} s`);
p.child.kill('SIGTERM');
await p.exited;
if (exitedEarly)
  console.log(
    `the stage exited early (code ${p.child.exitCode}, signal ${p.child.signalCode}):\n${p.stderr.join('').slice(-2000)}`,
  );

const loaded = p.stdout.map(parse).find((l) => l?.['msg'] === 'keyed state loaded');
const assignedAt = p.stdout.map(parse).find((l) => l?.['msg'] === 'assigned')?.['time'] as number | undefined;
// Lateness of each round: when its request was produced minus when it was due (both in the request).
const lateness = (await readAll(requests)).sort((a, b) => a - b);
const reloadMs = loaded?.['ms'] as number | undefined;
console.log(`stage: ${loaded?.['timers'] ?? '?'} timers loaded in ${fmt(reloadMs ?? Number.NaN)} ms after assignment`);
console.log(`  reload / plain read: ${fmt((reloadMs ?? Number.NaN) / baselineMs, 2)}×`);
console.log(`  assigned ${assignedAt ? fmt((assignedAt - stageStart) / 1000, 1) : '?'} s after spawn`);
console.log(
  `  fired ${fmt(lateness.length)} of ${fmt(TIMERS)}; lateness p50 ${fmt(percentile(lateness, 50))} ms, p99 ${fmt(percentile(lateness, 99))} ms, max ${fmt(lateness.at(-1) ?? Number.NaN)} ms`,
);
console.log(`  peak RSS of the stage process: ${fmt(peak / 1024, 1)} MB   (goal < 256 MB)`);
const samples = p.stderr
  .join('')
  .split('\n')
  .filter((l) => l.startsWith('memory '))
  .map((l) => JSON.parse(l.slice(7)) as NodeJS.MemoryUsage & { at: number });
if (samples.length > 0) {
  const mb = (n: number) => `${fmt(n / 1_048_576, 1)} MB`;
  const pending = samples.filter((m) => m.at < windowStart);
  console.log(
    `  with the ${fmt(TIMERS)} timers loaded and pending (before the first is due): highest rss ${mb(Math.max(...pending.map((m) => m.rss)))}`,
  );
  const top = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const at = samples.indexOf(top);
  if (process.env['BENCH_TIMELINE'])
    for (const [i, m] of samples.entries())
      if (i % 8 === 0)
        console.log(
          `    #${i} rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} heapUsed ${mb(m.heapUsed)} ext ${mb(m.external)}`,
        );
  console.log(
    `  highest sample (#${at} of ${samples.length}, every 250 ms): rss ${mb(top.rss)}, heapTotal ${mb(top.heapTotal)}, heapUsed ${mb(top.heapUsed)}, external ${mb(top.external)}, arrayBuffers ${mb(top.arrayBuffers)}`,
  );
}

async function readAll(name: string): Promise<number[]> {
  const out: number[] = [];
  const expected = await fired();
  const consumer = kafka.consumer({ groupId: `bench-read-${randomUUID()}`, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic: name, fromBeginning: true });
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const v = await codec.decode('discovery-requests', m.value as Buffer);
        out.push(v.producedAt - Number(v.labels['asmvs.monitor.round-at']));
      }
      if (out.length >= expected) resolve();
    },
  });
  await Promise.race([done, delay(60_000)]);
  await consumer.disconnect();
  return out;
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function plainRead(): Promise<number> {
  const ends = await (async () => {
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  })();
  const consumer = kafka.consumer({ groupId: `bench-plain-${randomUUID()}`, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const t0 = Date.now();
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (BigInt(batch.lastOffset()) + 1n >= (ends.get(batch.partition) ?? 0n)) ends.delete(batch.partition);
      if ([...ends.values()].every((e) => e === 0n) || ends.size === 0) resolve();
    },
  });
  await done;
  const ms = Date.now() - t0;
  await consumer.disconnect();
  return ms;
}
