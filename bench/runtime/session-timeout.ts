// The session-timeout trade-off of a stage's consumer group (KAFKA_SESSION_TIMEOUT_MS, KAFKA_HEARTBEAT_INTERVAL_MS):
// after a kill -9, the group waits one session for the dead copy before its partitions move; a short session moves
// them sooner, but a copy whose event loop stalls longer than it (handlers holding the loop, a starved CPU) loses its
// partitions for nothing. For each setting: the time from a kill -9 to the survivor owning every partition, and the
// rebalances of two loaded copies over a fixed run (handlers that hold the event loop, plus two CPU hogs on the side).
// Baseline, same run: kafkajs's own default (30 s session, 3 s heartbeat); asmvs's default is 15 s / 3 s.
// Usage: node bench/runtime/session-timeout.ts [loadSeconds=60] [blockMs=100]   (needs the stack; bounded)
import '../quiet-kafkajs.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { spawnStage, withTimeout, type StageProcess } from '../../test/helpers/stage-process.ts';
import { benchReport } from '../report.ts';
import { DEFAULT_SESSION_TIMEOUT_MS } from '../../src/config/schema.ts';

const LOAD_SECONDS = Number(process.argv[2] ?? 60);
const BLOCK_MS = Number(process.argv[3] ?? 100);
const PARTITIONS = 6;
const ASMVS_DEFAULT = DEFAULT_SESSION_TIMEOUT_MS;
const KAFKAJS_DEFAULT = 30_000;
const SETTINGS = [
  { session: 6_000, heartbeat: 1_000 },
  { session: 10_000, heartbeat: 1_000 },
  { session: 15_000, heartbeat: 3_000 },
  { session: 30_000, heartbeat: 3_000 },
];

const assignments = (p: StageProcess) => p.stdout.filter((l) => l.includes('"msg":"assigned"'));
const ownsAll = (p: StageProcess) =>
  assignments(p)
    .at(-1)
    ?.includes(`"partitions":[${[...Array(PARTITIONS).keys()].join(',')}]`) === true;

async function stop(...ps: StageProcess[]): Promise<void> {
  for (const p of ps) p.child.kill('SIGTERM');
  for (const p of ps) await withTimeout(p.exited, 40_000, 'exit').catch(() => p.child.kill('SIGKILL'));
}

/** Copies of the echo stage with this group setting. */
function copies(prefix: string, s: (typeof SETTINGS)[number], env: Record<string, string> = {}): StageProcess[] {
  const base = {
    TOPIC_PREFIX: prefix,
    KAFKA_SESSION_TIMEOUT_MS: String(s.session),
    KAFKA_HEARTBEAT_INTERVAL_MS: String(s.heartbeat),
    SHUTDOWN_DEADLINE_MS: '2000',
    ...env,
  };
  return ['a', 'b'].map((id) => spawnStage('vs_normalization', { ...base, FIXTURE_INSTANCE_ID: id }));
}

async function recovery(s: (typeof SETTINGS)[number]): Promise<number> {
  const h = await createHarness('bench-session', { partitions: PARTITIONS });
  const [a, b] = copies(h.prefix, s) as [StageProcess, StageProcess];
  try {
    await withTimeout(Promise.all([a.assigned, b.assigned]), 60_000, 'both assigned');
    while (assignments(a).length === 0 || ownsAll(a) || ownsAll(b)) await delay(50); // the split has settled
    await delay(2_000);
    b.child.kill('SIGKILL');
    const killed = Date.now();
    while (!ownsAll(a)) {
      if (Date.now() - killed > 120_000) return Number.NaN;
      await delay(20);
    }
    return Date.now() - killed;
  } finally {
    await stop(a, b);
    await h.close();
  }
}

/** A busy loop in its own process that ends by itself (bounded even if this benchmark is killed). */
function hog(seconds: number): ChildProcess {
  const code = `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end);`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

async function underLoad(s: (typeof SETTINGS)[number]): Promise<{ rebalances: number; handled: number }> {
  const h = await createHarness('bench-session-load', { partitions: PARTITIONS });
  await h.produceRaw(Array.from({ length: 20_000 }, (_, seq) => ({ key: `k${seq % 500}`, seq })));
  const ps = copies(h.prefix, s, { FIXTURE_BLOCK_MS: String(BLOCK_MS), STAGE_CONCURRENCY: '16' });
  const hogs = [hog(LOAD_SECONDS + 90), hog(LOAD_SECONDS + 90)];
  try {
    await withTimeout(Promise.all(ps.map((p) => p.assigned)), 60_000, 'both assigned');
    await delay(5_000); // the first split settles
    const before = ps.reduce((n, p) => n + assignments(p).length, 0);
    await delay(LOAD_SECONDS * 1_000);
    const after = ps.reduce((n, p) => n + assignments(p).length, 0);
    const handled = (await h.admin.fetchTopicOffsets(h.output)).reduce((n, p) => n + Number(p.high), 0);
    return { rebalances: (after - before) / 2, handled };
  } finally {
    for (const x of hogs) x.kill('SIGKILL');
    await stop(...ps);
    await h.close();
  }
}

console.log(`session-timeout trade-off: ${PARTITIONS} partitions, two copies; load = ${BLOCK_MS} ms blocking handlers`);
console.log(`at concurrency 16 plus two CPU hogs, ${LOAD_SECONDS} s per setting`);
console.log('session  heartbeat  kill -9 → survivor owns all   rebalances under load   events handled');
const results: { s: (typeof SETTINGS)[number]; ms: number; rebalances: number }[] = [];
for (const s of SETTINGS) {
  const ms = await recovery(s);
  const load = await underLoad(s);
  results.push({ s, ms, rebalances: load.rebalances });
  console.log(
    `${String(s.session / 1000).padStart(5)} s  ${String(s.heartbeat / 1000).padStart(7)} s  ${(ms / 1000).toFixed(1).padStart(26)} s  ${String(load.rebalances).padStart(22)}  ${String(load.handled).padStart(15)}`,
  );
}
const report = benchReport('runtime/session-timeout');
const kafkajsDefault = results.find((r) => r.s.session === KAFKAJS_DEFAULT);
for (const { s, ms, rebalances } of results) {
  const name = `session ${s.session / 1000} s / heartbeat ${s.heartbeat / 1000} s${s.session === ASMVS_DEFAULT ? ' (asmvs default)' : ''}`;
  report.record({
    figure: `kill -9 → survivor owns every partition, ${name}`,
    value: ms / 1000,
    unit: 's',
    baseline:
      s.session === KAFKAJS_DEFAULT || !kafkajsDefault
        ? { none: 'kafkajs default itself, the baseline of the other settings' }
        : { name: 'kafkajs default 30 s / 3 s', value: kafkajsDefault.ms / 1000 },
  });
  report.record({
    figure: `rebalances of two loaded copies in ${LOAD_SECONDS} s, ${name}`,
    value: rebalances,
    unit: 'rebalances',
    baseline: { none: 'a count of spurious rebalances (nothing failed): 0 is right' },
    ...(s.session === ASMVS_DEFAULT ? { goal: { text: 'none (0)', met: rebalances === 0 } } : {}),
  });
}
