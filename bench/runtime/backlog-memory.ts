// Memory: peak RSS of a stage process (the CLI-like fixture, default settings: STAGE_MAX_IN_FLIGHT 1000)
// draining a backlog produced before it starts. Sampled from /proc/<pid>/status (VmHWM = peak RSS).
// Bounded: stops after DRAIN_LIMIT_S and reports how far it got.
// Usage: node bench/runtime/backlog-memory.ts [events=1000000] [drainLimitSeconds=300]
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { spawnStage } from '../../test/helpers/stage-process.ts';
import { fmt } from './common.ts';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const DRAIN_LIMIT_S = Number(process.argv[3] ?? 300);
const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

const h = await createHarness('bench-mem', { partitions: 4 });
const groupId = `${h.prefix}asmvs.vs_normalization`;
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
  // STAGE_NODE_OPTIONS, e.g. --max-old-space-size=160, is how an operator caps V8's heap in a container.
  const nodeOptions = process.env['STAGE_NODE_OPTIONS'];
  const p = spawnStage('vs_normalization', {
    TOPIC_PREFIX: h.prefix,
    LOG_LEVEL: 'warn',
    FIXTURE_MEMORY_LOG_MS: '250',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  console.log(`stage NODE_OPTIONS: ${nodeOptions ?? '(none)'}`);
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
  console.log(
    `drained ${fmt(committed)} of ${fmt(EVENTS)} in ${fmt(seconds, 1)} s (${fmt(committed / seconds)} events/s)${committed < EVENTS ? ' — stopped at the time limit' : ''}`,
  );
  console.log(`  peak RSS of the stage process: ${fmt(peak / 1024, 1)} MB   (goal < 256 MB)`);
  const samples = memorySamples(p.stderr.join(''));
  if (samples.length > 0) {
    const mb = (n: number) => `${fmt(n / 1_048_576, 1)} MB`;
    const atPeak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
    const max = (k: keyof NodeJS.MemoryUsage) => mb(Math.max(...samples.map((m) => m[k])));
    const first = samples[0] as NodeJS.MemoryUsage;
    console.log(`  first sample: rss ${mb(first.rss)}, heapUsed ${mb(first.heapUsed)}, external ${mb(first.external)}`);
    console.log(
      `  at the highest sampled rss (${samples.length} samples, every 250 ms): rss ${mb(atPeak.rss)}, heapTotal ${mb(atPeak.heapTotal)}, heapUsed ${mb(atPeak.heapUsed)}, external ${mb(atPeak.external)}, arrayBuffers ${mb(atPeak.arrayBuffers)}`,
    );
    console.log(
      `  maxima: heapTotal ${max('heapTotal')}, heapUsed ${max('heapUsed')}, external ${max('external')}, arrayBuffers ${max('arrayBuffers')}`,
    );
  }
} finally {
  await h.close();
}

function memorySamples(stderr: string): NodeJS.MemoryUsage[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('memory '))
    .map((line) => JSON.parse(line.slice('memory '.length)) as NodeJS.MemoryUsage);
}
