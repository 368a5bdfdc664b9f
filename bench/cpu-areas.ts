// Where a benchmark phase spends its CPU: profiles a stretch of this process with the inspector (the V8 sampling
// profiler) and sums the samples' self time by area — kafkajs, avsc, our normalizers, our runtime, the rest of
// src/, node's internals, garbage collection, idle. Used by benchmarks when BENCH_CPU=1.
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const AREAS: readonly [string, (url: string, fn: string) => boolean][] = [
  ['idle', (_, fn) => fn === '(idle)'],
  ['garbage collection', (_, fn) => fn === '(garbage collector)'],
  ['kafkajs', (url) => url.includes('/node_modules/kafkajs/')],
  ['avsc (Avro)', (url) => url.includes('/node_modules/avsc/')],
  ['other dependencies', (url) => url.includes('/node_modules/')],
  ['src/normalizers', (url) => url.includes('/src/normalizers/')],
  ['src/runtime', (url) => url.includes('/src/runtime/')],
  ['src/schemas (codec)', (url) => url.includes('/src/schemas/')],
  ['src/ other', (url) => url.includes('/src/')],
  ['bench, test helpers', (url) => url.includes('/bench/') || url.includes('/test/')],
  ['node internals, natives', () => true],
];

/** Self time (ms) per area, largest first. */
export function areasOf(profile: Profile): { area: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  for (const [i, id] of profile.samples.entries()) {
    const frame = byId.get(id)?.callFrame;
    const area = AREAS.find(([, test]) => test(frame?.url ?? '', frame?.functionName ?? ''))?.[0] ?? 'other';
    totals.set(area, (totals.get(area) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return [...totals].map(([area, ms]) => ({ area, ms })).sort((a, b) => b.ms - a.ms);
}

/** Self time (ms) of the `n` costliest functions, named with their file and line. */
export function topFunctionsOf(profile: Profile, n: number): { area: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  for (const [i, id] of profile.samples.entries()) {
    const frame = byId.get(id)?.callFrame;
    const where = (frame?.url ?? '').replace(/^.*\/(node_modules|src|bench|test)\//, '$1/');
    const name = `${frame?.functionName || '(anonymous)'} ${where}:${(frame as { lineNumber?: number })?.lineNumber ?? ''}`;
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return [...totals]
    .map(([area, ms]) => ({ area, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n);
}

export interface CpuUse {
  readonly areas: { area: string; ms: number }[];
  /** The costliest functions (BENCH_CPU_TOP=n of them). */
  readonly top: { area: string; ms: number }[];
}

/** Runs `f` under the sampling profiler; returns its result and where the CPU of that stretch went. */
export async function profiled<T>(f: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    const result = await f();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    const top = Number(process.env['BENCH_CPU_TOP'] ?? 0);
    return { result, cpu: { areas: areasOf(profile), top: topFunctionsOf(profile, top) } };
  } finally {
    session.disconnect();
  }
}

/** One line per area: ms and share of the busy (non-idle) time; then the costliest functions. */
export function printCpu(label: string, { areas, top }: CpuUse): void {
  const busy = areas.filter((a) => a.area !== 'idle').reduce((n, a) => n + a.ms, 0);
  console.log(`    CPU of ${label} (self time by area, busy ${Math.round(busy)} ms):`);
  for (const a of areas)
    console.log(
      `      ${a.area.padEnd(26)} ${String(Math.round(a.ms)).padStart(7)} ms` +
        (a.area === 'idle' ? '' : `  ${((100 * a.ms) / busy).toFixed(1).padStart(5)} %`),
    );
  for (const f of top) console.log(`        ${String(Math.round(f.ms)).padStart(6)} ms  ${f.area}`);
}
