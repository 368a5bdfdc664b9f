// Durable timers at scale (#7): N pending timers (default 100,000) of asm_scheduler across 12 partitions, written to
// the keyed-state topic before the stage starts. The stage process (`asmvs run asm_scheduler`, as a deployment runs
// it) then reloads them on assignment and fires them all within a 10 s window. Reports: reload time (vs a plain
// kafkajs read of the same topic in this process: the baseline), firing lateness p50/p99/max against its goal, the
// firing rate, and the stage's RSS: its peak (VmHWM, goal < 256 MB) and its highest while every timer is loaded and
// pending.
// The stage runs as a user runs it: no NODE_OPTIONS, so bin/asmvs.js applies its own memory defaults
// (bin/memory-defaults.js). It runs twice, on fresh topics each time: from the TypeScript sources (type stripping)
// and from the production build (scripts/build.ts, which the image runs).
// Lateness goal: p99 ≤ 1 s. A round of a monitor is due at a time the user chose; a second late is invisible at the
// intervals monitors use (MONITOR_MIN_INTERVAL_MS, an hour here) and small against the discovery it starts, while
// a burst that outruns the stage shows at once: 100,000 rounds in 10 s ask for 10,000 timers/s.
// Bounded: each run gives up after LIMIT_S.
// Usage: node bench/runtime/timers-reload.ts [timers=100000] [limitSeconds=180]
//   STAGE_NODE_OPTIONS / STAGE_MALLOC_ARENA_MAX set the stage's environment as a user would (default: unset);
//   STAGE_ENV='NAME=value …' adds settings (e.g. STAGE_MAX_TIMERS_IN_FLIGHT=500); BENCH_TIMELINE=1 prints RSS
//   samples; BENCH_ONLY=sources|build makes one of the two runs.
import '../quiet-kafkajs.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { createKafka, type Kafka } from '../../src/runtime/kafka/client.ts';
import { provisionTopics } from '../../src/runtime/kafka/provision-topics.ts';
import { murmur2 } from '../../src/runtime/kafka/partitioner.ts';
import { keyedRecordKey } from '../../src/runtime/kafka/keyed-state-loader.ts';
import { createRegistryCodec, type Codec } from '../../src/schemas/codec.ts';
import { pipelineTopics } from '../../src/topology.ts';
import type { Config } from '../../src/config/config.ts';
import { stackConfig, uniquePrefix, SCHEMA_REGISTRY_URL } from '../../test/helpers/stack.ts';
import { monitorEvent } from '../../test/helpers/fixtures/monitor-event.ts';
import { spawnWatched } from '../../test/helpers/stage-process.ts';
import { fmt, percentile } from './common.ts';
import { benchReport } from '../report.ts';

const TIMERS = Number(process.argv[2] ?? 100_000);
const LIMIT_S = Number(process.argv[3] ?? 180);
const PARTITIONS = 12;
const HOUR = 3_600_000;
const SAMPLE_MS = 250;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LATENESS_GOAL_MS = 1_000; // p99
const RSS_GOAL = 256 * 1_048_576;
// What the user sets; by default nothing, so that bin/asmvs.js applies its memory defaults.
const USER_ENV: Record<string, string> = Object.fromEntries(
  [
    ['NODE_OPTIONS', process.env['STAGE_NODE_OPTIONS']],
    ['MALLOC_ARENA_MAX', process.env['STAGE_MALLOC_ARENA_MAX']],
    ...(process.env['STAGE_ENV'] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  ].filter((kv): kv is [string, string] => kv[1] !== undefined),
);
// V8 flags that NODE_OPTIONS does not take go on the command line (they count as the user's too)
const NODE_ARGS = (process.env['STAGE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);

const status = (pid: number, field: 'VmHWM' | 'VmRSS'): number => {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0; // it exited between the check and the read
  }
};
/** The options node runs with (before the script), from the process's command line. */
const nodeFlags = (pid: number): string => {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1);
    return args
      .slice(
        0,
        args.findIndex((a) => !a.startsWith('-')),
      )
      .join(' ');
  } catch {
    return '?';
  }
};
const mb = (bytes: number) => `${fmt(bytes / 1_048_576, 1)} MB`;

interface Setup {
  readonly prefix: string;
  readonly kafka: Kafka;
  readonly codec: Codec;
  readonly windowStart: number;
}

/** Fresh topics with TIMERS pending timers: one monitor per key, due in a 10 s window that opens 25 s from now. */
async function seed(label: string): Promise<Setup> {
  const prefix = uniquePrefix(label);
  const config = stackConfig({ TOPIC_PREFIX: prefix });
  const kafka = createKafka(config.kafka as NonNullable<Config['kafka']>, 'bench-timers');
  await provisionTopics(kafka, pipelineTopics({ rawFindingsRetentionMs: -1 }), {
    prefix,
    partitions: PARTITIONS,
    replicationFactor: 1,
  });
  const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  await codec.register(['monitors', 'keyed-state', 'discovery-requests']);
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
    await producer.send({ topic: `${prefix}keyed-state`, acks: -1, messages });
  }
  await producer.disconnect();
  console.log(`  seeded ${fmt(TIMERS)} timers in ${fmt((Date.now() - seededAt) / 1000, 1)} s; due from +25 s for 10 s`);
  return { prefix, kafka, codec, windowStart };
}

/** One run: seed, the baseline read, then the stage from `bin` until every timer fired. */
async function run(label: string, bin: string): Promise<{ peak: number; pending: number }> {
  console.log(`${label}:`);
  const s = await seed('bench-timers');
  const baselineMs = await plainRead(s.kafka, `${s.prefix}keyed-state`);
  console.log(`  baseline: kafkajs reads the ${fmt(TIMERS)} records in ${fmt(baselineMs)} ms`);

  const stageStart = Date.now();
  const p = spawnWatched([...NODE_ARGS, '--disable-warning=TimeoutNegativeWarning', bin, 'run', 'asm_scheduler'], {
    TOPIC_PREFIX: s.prefix,
    MONITOR_MIN_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    ...USER_ENV,
  });
  const pid = p.child.pid as number;
  const samples: { at: number; rss: number }[] = [];
  const requests = `${s.prefix}discovery-requests`;
  const running = () => p.child.exitCode === null && p.child.signalCode === null;
  let peak = 0;
  let lastCheck = 0;
  let flags: string | undefined; // the node flags the stage runs with, once bin/asmvs.js has re-executed it
  while (Date.now() - stageStart < LIMIT_S * 1000 && running()) {
    if (flags === undefined && Date.now() - stageStart > 2_000) flags = nodeFlags(pid);
    samples.push({ at: Date.now(), rss: status(pid, 'VmRSS') });
    peak = Math.max(peak, status(pid, 'VmHWM'));
    if (Date.now() - lastCheck >= 1_000) {
      lastCheck = Date.now();
      if ((await fired(s.kafka, requests)) >= TIMERS) break;
    }
    await delay(SAMPLE_MS);
  }
  peak = Math.max(peak, running() ? status(pid, 'VmHWM') : 0);
  const exitedEarly = !running();
  console.log(`  stage ran ${fmt((Date.now() - stageStart) / 1000, 1)} s with node flags: ${flags ?? '?'}`);
  p.child.kill('SIGTERM');
  await p.exited;
  if (exitedEarly)
    console.log(
      `  the stage exited early (code ${p.child.exitCode}, signal ${p.child.signalCode}):\n${p.stderr.join('').slice(-2000)}`,
    );

  const logs = p.stdout.map(parse);
  const loaded = logs.find((l) => l?.['msg'] === 'keyed state loaded');
  const assignedAt = logs.find((l) => l?.['msg'] === 'assigned')?.['time'] as number | undefined;
  // Lateness of each round: when its request was produced minus when it was due (both in the request).
  const rounds = await roundsOf(s, requests);
  const lateness = rounds.map((r) => r.producedAt - r.dueAt).sort((a, b) => a - b);
  const reloadMs = loaded?.['ms'] as number | undefined;
  console.log(`  ${loaded?.['timers'] ?? '?'} timers loaded in ${fmt(reloadMs ?? Number.NaN)} ms after assignment`);
  console.log(`    reload / plain read: ${fmt((reloadMs ?? Number.NaN) / baselineMs, 2)}×`);
  console.log(`    assigned ${assignedAt ? fmt((assignedAt - stageStart) / 1000, 1) : '?'} s after spawn`);
  const p99 = percentile(lateness, 99);
  console.log(
    `  fired ${fmt(lateness.length)} of ${fmt(TIMERS)}; lateness p50 ${fmt(percentile(lateness, 50))} ms, p99 ${fmt(p99)} ms, max ${fmt(lateness.at(-1) ?? Number.NaN)} ms` +
      `   (goal p99 ≤ ${fmt(LATENESS_GOAL_MS)} ms: ${lateness.length === TIMERS && p99 <= LATENESS_GOAL_MS ? 'met' : 'missed'})`,
  );
  const produced = rounds.map((r) => r.producedAt).sort((a, b) => a - b);
  const firingSeconds = ((produced.at(-1) ?? Number.NaN) - s.windowStart) / 1000;
  console.log(
    `  the burst: due over 10 s (${fmt(TIMERS / 10)}/s asked), all fired ${fmt(firingSeconds, 1)} s after the first was due (${fmt(lateness.length / firingSeconds)}/s)`,
  );
  const pending = Math.max(0, ...samples.filter((m) => m.at < s.windowStart).map((m) => m.rss));
  // a peak is of the burst only when the stage ran it whole: one that exited early or fell short measured less
  const burstPeak = !exitedEarly && lateness.length === TIMERS ? peak : Number.NaN;
  console.log(`  RSS with every timer loaded and pending (before the first is due): ${mb(pending)}`);
  console.log(
    `  peak RSS of the stage process (VmHWM): ${mb(peak)}   (goal < 256 MB: ${burstPeak < RSS_GOAL ? 'met' : 'missed'})`,
  );
  const report = benchReport('runtime/timers-reload');
  const from = label.startsWith('from the production build') ? 'build' : 'sources';
  report.record({
    figure: `reload of ${fmt(TIMERS)} timers after assignment (${from})`,
    value: reloadMs ?? Number.NaN,
    unit: 'ms',
    baseline: { name: 'a plain kafkajs read of the same records', value: baselineMs },
  });
  report.record({
    figure: `firing lateness p99, ${fmt(TIMERS)} timers due over 10 s (${from})`,
    value: lateness.length === TIMERS ? p99 : Number.NaN,
    unit: 'ms',
    baseline: { none: 'lateness is measured against the due time itself' },
    goal: { on: 'value', op: '≤', limit: LATENESS_GOAL_MS },
  });
  report.record({
    figure: `peak RSS of the stage during the burst (${from})`,
    value: burstPeak / 1_048_576,
    unit: 'MB',
    baseline: { none: 'the goal is absolute; the sources-vs-build ratio is printed apart' },
    goal: { on: 'value', op: '<', limit: RSS_GOAL / 1_048_576 },
  });
  if (process.env['BENCH_TIMELINE'])
    for (const [i, m] of samples.entries())
      if (i % 8 === 0) console.log(`    +${fmt((m.at - stageStart) / 1000, 1)} s rss ${mb(m.rss)}`);
  return { peak, pending };
}

async function fired(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.reduce((n, o) => n + Number(o.high), 0);
}

/** Each round's request: when it was produced and when its round was due (both in the request). */
async function roundsOf(s: Setup, topic: string): Promise<{ producedAt: number; dueAt: number }[]> {
  const out: { producedAt: number; dueAt: number }[] = [];
  const expected = await fired(s.kafka, topic);
  const consumer = s.kafka.consumer({ groupId: `bench-read-${randomUUID()}`, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const v = await s.codec.decode('discovery-requests', m.value as Buffer);
        out.push({ producedAt: v.producedAt, dueAt: Number(v.labels['asmvs.monitor.round-at']) });
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

async function plainRead(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
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

const userSettings = Object.entries(USER_ENV).map(([k, v]) => `${k}=${v}`);
console.log(
  `asm_scheduler, ${fmt(TIMERS)} timers, ${PARTITIONS} partitions; ${userSettings.length > 0 ? `the user sets ${userSettings.join(' ')}` : 'no NODE_OPTIONS: the memory defaults of bin/asmvs.js apply'}`,
);
const out = mkdtempSync(join(ROOT, '.build-bench-'));
try {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.ts'), out], { stdio: 'ignore' });
  const only = process.env['BENCH_ONLY']; // sources | build: one of the two runs
  const sources =
    only === 'build'
      ? undefined
      : await run('from the TypeScript sources (bin/asmvs.js, type stripping)', join(ROOT, 'bin/asmvs.js'));
  const built =
    only === 'sources'
      ? undefined
      : await run('from the production build (scripts/build.ts, as the image runs it)', join(out, 'bin/asmvs.js'));
  if (sources && built)
    console.log(
      `build vs sources: peak ${mb(built.peak)} vs ${mb(sources.peak)} (${fmt(built.peak / sources.peak, 2)}×), ` +
        `pending ${mb(built.pending)} vs ${mb(sources.pending)} (${fmt(built.pending / sources.pending, 2)}×)`,
    );
} finally {
  rmSync(out, { recursive: true, force: true });
}
