// Benchmark: how long the CLI takes before it does any work, against a bare `node -e 0` in the same run —
// `asmvs --version`, `asmvs --help`, and `asmvs scan 999.1.1.1`, which loads everything a one-shot scan loads and
// stops at the target check (no traffic): the module-loading part of every `asmvs scan`. Runs alternate, so load on
// the machine falls on every variant alike; medians and p90 of N runs each, and the modules each loaded.
// With --against <dir> (another checkout of asmvs, e.g. `git worktree add /tmp/old main~10`), its CLI is measured
// in the same rounds too: before/after figures for a change.
// Run: node bench/cli/startup.ts [runs] [--against <dir>]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchReport } from '../report.ts';

const args = process.argv.slice(2);
const against = args.includes('--against') ? args[args.indexOf('--against') + 1] : undefined;
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
const HOOK = fileURLToPath(new URL('../../test/helpers/loaded-modules.mjs', import.meta.url));
const OURS = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));

interface Variant {
  readonly name: string;
  readonly argv: readonly string[];
}

const COMMANDS: readonly (readonly string[])[] = [['--version'], ['--help'], ['scan', '999.1.1.1']];
const variants: Variant[] = [{ name: 'node -e 0', argv: ['-e', '0'] }];
for (const [label, bin] of [['asmvs', OURS], ...(against ? [['baseline', `${against}/bin/asmvs.js`]] : [])] as const)
  for (const command of COMMANDS)
    variants.push({
      name: `${label} ${command.join(' ')}`,
      argv: ['--disable-warning=TimeoutNegativeWarning', bin, ...command],
    });

function once(argv: readonly string[], hook: boolean): Promise<{ ms: number; modules?: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, hook ? ['--import', HOOK, ...argv] : [...argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const line = stderr.split('\n').find((l) => l.startsWith('LOADED '));
      resolve({
        ms: performance.now() - started,
        ...(line ? { modules: (JSON.parse(line.slice(7)) as unknown[]).length } : {}),
      });
    });
  });
}

const times = new Map(variants.map((v) => [v.name, [] as number[]]));
for (let i = 0; i < runs; i++) for (const v of variants) times.get(v.name)!.push((await once(v.argv, false)).ms);
const modules = new Map<string, number | undefined>();
for (const v of variants) modules.set(v.name, v.name.startsWith('node') ? 0 : (await once(v.argv, true)).modules);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const bare = pct(times.get('node -e 0')!, 0.5);
console.log(`${runs} runs each, alternating; median and p90 in ms; over: the median less bare node's`);
console.log(
  `${'command'.padEnd(34)} ${'median'.padStart(7)} ${'p90'.padStart(7)} ${'over'.padStart(7)} ${'modules'.padStart(8)}`,
);
for (const v of variants) {
  const xs = times.get(v.name)!;
  const median = pct(xs, 0.5);
  console.log(
    `${v.name.padEnd(34)} ${median.toFixed(0).padStart(7)} ${pct(xs, 0.9).toFixed(0).padStart(7)} ${(median - bare).toFixed(0).padStart(7)} ${String(modules.get(v.name) ?? '?').padStart(8)}`,
  );
}
const report = benchReport('cli/startup');
for (const command of COMMANDS)
  report.record({
    figure: `asmvs ${command.join(' ')}, median of ${runs} (modules loaded: ${modules.get(`asmvs ${command.join(' ')}`) ?? '?'})`,
    value: pct(times.get(`asmvs ${command.join(' ')}`)!, 0.5),
    unit: 'ms',
    baseline: { name: 'bare node -e 0', value: bare },
  });
if (against)
  for (const command of COMMANDS) {
    const name = command.join(' ');
    const ratio = (pct(times.get(`asmvs ${name}`)!, 0.5) - bare) / (pct(times.get(`baseline ${name}`)!, 0.5) - bare);
    console.log(`asmvs ${name}: ${ratio.toFixed(2)} of the baseline's time over bare node`);
  }
