// Memory: peak RSS of a stage process (the CLI-like fixture, default settings: STAGE_MAX_IN_FLIGHT 1000) draining a
// backlog produced before it starts, sampled from /proc/<pid>/status (VmHWM = peak RSS). Twice on the same backlog,
// in the same run: with the memory defaults `asmvs run` applies (bin/memory-defaults.js), then — the baseline — with
// Node's own heap sizing; the group's offsets are reset to the start in between. Goal: under 256 MB with the
// defaults. Bounded: each drain stops after DRAIN_LIMIT_S and reports how far it got.
// Usage: node bench/runtime/backlog-memory.ts [events=1000000] [drainLimitSeconds=300]
import '../quiet-kafkajs.ts';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness, type Harness } from '../../test/helpers/kafka-harness.ts';
import { spawnStage } from '../../test/helpers/stage-process.ts';
import { fmt } from './common.ts';
import { benchReport } from '../report.ts';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const DRAIN_LIMIT_S = Number(process.argv[3] ?? 300);
const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const mb = (n: number) => `${fmt(n / 1_048_576, 1)} MB`;

interface Drained {
  readonly peakMb: number;
  readonly rate: number;
}

async function drain(h: Harness, label: string, env: Record<string, string>): Promise<Drained> {
  const groupId = `${h.prefix}asmvs.vs_normalization`;
  const p = spawnStage('vs_normalization', {
    TOPIC_PREFIX: h.prefix,
    LOG_LEVEL: 'warn',
    FIXTURE_MEMORY_LOG_MS: '250',
    ...env,
  });
  const started = Date.now();
  let peak = 0;
  let committed = 0;
  while (Date.now() - started < DRAIN_LIMIT_S * 1000 && p.child.exitCode === null) {
    peak = Math.max(peak, peakKb(p.child.pid as number));
    committed = await h.committed(groupId);
    if (committed >= EVENTS) break;
    await delay(500);
  }
  peak = Math.max(peak, p.child.exitCode === null ? peakKb(p.child.pid as number) : 0);
  const seconds = (Date.now() - started) / 1000;
  p.child.kill('SIGTERM');
  await p.exited;
  console.log(`${label}:`);
  console.log(
    `  drained ${fmt(committed)} of ${fmt(EVENTS)} in ${fmt(seconds, 1)} s (${fmt(committed / seconds)} events/s, process start included)${committed < EVENTS ? ' — stopped at the time limit' : ''}`,
  );
  console.log(`  peak RSS of the stage process: ${fmt(peak / 1024, 1)} MB`);
  const samples = memorySamples(p.stderr.join(''));
  if (samples.length > 0) {
    const atPeak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
    console.log(
      `  at the highest sampled rss (${samples.length} samples, every 250 ms): rss ${mb(atPeak.rss)}, heapTotal ${mb(atPeak.heapTotal)}, heapUsed ${mb(atPeak.heapUsed)}, external ${mb(atPeak.external)}, arrayBuffers ${mb(atPeak.arrayBuffers)}`,
    );
  }
  // The next drain reads the same backlog from its start (the group is empty now: its only member exited).
  await h.admin.resetOffsets({ groupId, topic: h.input, earliest: true });
  return { peakMb: peak / 1024, rate: committed < EVENTS ? Number.NaN : committed / seconds };
}

const h = await createHarness('bench-mem', { partitions: 4 });
try {
  const t0 = Date.now();
  for (let i = 0; i < EVENTS; i += 20_000) {
    await h.produceRaw(
      Array.from({ length: Math.min(20_000, EVENTS - i) }, (_, j) => ({
        key: `asset-${(i + j) % 10_000}`,
        seq: i + j,
      })),
    );
  }
  console.log(`backlog: ${fmt(EVENTS)} events produced in ${fmt((Date.now() - t0) / 1000, 1)} s`);
  const ours = await drain(h, 'the memory defaults asmvs applies', {});
  const node = await drain(h, "Node's own heap sizing (baseline)", { FIXTURE_NODE_MEMORY: '1' });
  const report = benchReport('runtime/backlog-memory');
  report.record({
    figure: `peak RSS draining ${fmt(EVENTS)} events, asmvs memory defaults`,
    value: ours.peakMb,
    unit: 'MB',
    baseline: { name: "Node's own heap sizing", value: node.peakMb },
    goal: { on: 'value', op: '<', limit: 256 },
  });
  report.record({
    figure: 'drain rate with the asmvs memory defaults (what the smaller heap costs)',
    value: ours.rate,
    unit: 'events/s',
    baseline: { name: "Node's own heap sizing", value: node.rate },
  });
} finally {
  await h.close();
}

function memorySamples(stderr: string): NodeJS.MemoryUsage[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('memory '))
    .map((line) => JSON.parse(line.slice('memory '.length)) as NodeJS.MemoryUsage);
}
