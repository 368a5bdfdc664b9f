// npm run bench [-- [--out <file>] [name ...]]: runs every benchmark of bench/suite.ts (or those named) one after
// the other, each as a child process with bounded arguments and a time limit, on the stack that KAFKA_BROKERS and
// SCHEMA_REGISTRY_URL name (it starts none: `npm run stack:up` first). A bench that cannot run here is skipped with
// the reason: no stack named or reachable, nmap missing, not root (network namespaces). Each bench appends its rows
// to a file of its own (BENCH_RESULTS); the rows and outcomes become bench/results.md. Loopback only: a stack
// address that is not a loopback literal is refused. Each bench's whole output is kept in a log directory.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultsMarkdown, type BenchOutcome } from '../bench/results-markdown.ts';
import type { Row } from '../bench/report.ts';
import { SUITE, type Need, type SuiteBench } from '../bench/suite.ts';
import { canBuildNamespaces } from '../test/helpers/netns-range.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_S = Number(process.env['BENCH_BUDGET_MINUTES'] ?? 30) * 60;
const TAIL_LINES = 40;

const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const out = outAt >= 0 ? (argv[outAt + 1] as string) : join(ROOT, 'bench/results.md');
const only = argv.filter((a, i) => i !== outAt && i !== outAt + 1);
const selected = only.length
  ? SUITE.filter((b) => only.some((n) => b.name === n || b.name.startsWith(`${n}/`)))
  : SUITE;

const isLoopback = (host: string) => /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '[::1]';

/** Why the stack cannot be used, or undefined when it can. */
async function stackProblem(): Promise<string | undefined> {
  const brokers = process.env['KAFKA_BROKERS'];
  const registry = process.env['SCHEMA_REGISTRY_URL'];
  // The benches fall back to 9092/8081 when these are unset: never run them against a stack nobody named.
  if (!brokers || !registry) return 'KAFKA_BROKERS and SCHEMA_REGISTRY_URL not set (start one: npm run stack:up)';
  const first = brokers.split(',')[0] as string;
  const host = first.slice(0, first.lastIndexOf(':'));
  const port = Number(first.slice(first.lastIndexOf(':') + 1));
  const url = new URL(registry);
  if (!brokers.split(',').every((b) => isLoopback(b.slice(0, b.lastIndexOf(':')))) || !isLoopback(url.hostname))
    return `the stack must be on loopback addresses (KAFKA_BROKERS=${brokers}, SCHEMA_REGISTRY_URL=${registry})`;
  const brokerUp = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port }, () => (socket.destroy(), resolve(true)));
    socket.setTimeout(3000, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
  if (!brokerUp) return `no broker answers at ${first}`;
  const registryUp = await fetch(`${registry}/subjects`, { signal: AbortSignal.timeout(5000) })
    .then((r) => r.ok)
    .catch(() => false);
  return registryUp ? undefined : `no schema registry answers at ${registry}`;
}

const nmapFound = spawnSync('nmap', ['--version'], { stdio: 'ignore' }).status === 0;
const stack = selected.some((b) => b.needs.includes('stack')) ? await stackProblem() : undefined;
const missing: Record<Need, string | undefined> = {
  stack,
  nmap: nmapFound ? undefined : 'nmap is not installed (apt-get install nmap)',
  root: canBuildNamespaces() ? undefined : 'needs root and `ip netns` (network namespaces)',
};

let current: number | undefined;
process.once('SIGINT', () => {
  try {
    if (current !== undefined) process.kill(-current, 'SIGKILL');
  } catch {
    // the group had exited
  }
  process.exit(130);
});

/** Runs one bench in its own process group; kills the group at its time limit. */
function runOne(b: SuiteBench, rowsFile: string, logFile: string): Promise<{ status: string; tail: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', `${b.name}.ts`), ...b.args], {
      cwd: ROOT,
      env: { ...process.env, BENCH_RESULTS: rowsFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    current = child.pid;
    const log = createWriteStream(logFile);
    const lines: string[] = [];
    const keep = (d: Buffer, to: NodeJS.WriteStream) => {
      to.write(d);
      log.write(d);
      lines.push(...d.toString().split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - TAIL_LINES));
    };
    child.stdout.on('data', (d: Buffer) => keep(d, process.stdout));
    child.stderr.on('data', (d: Buffer) => keep(d, process.stderr));
    let timedOut = false;
    let closed = false;
    // The group, not only the bench: its stage processes and scanners go too. Gone already: nothing to do.
    const killGroup = (signal: NodeJS.Signals) => {
      if (closed) return;
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // ESRCH: the group has exited between the check and the kill
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
    }, b.timeoutS * 1000);
    child.on('close', (code, signal) => {
      closed = true;
      clearTimeout(timer);
      current = undefined;
      log.end();
      const status = timedOut
        ? `timed out after ${b.timeoutS} s`
        : code === 0
          ? 'ok'
          : `failed (${signal ?? `exit ${code}`})`;
      resolve({ status, tail: lines });
    });
  });
}

const logs = mkdtempSync(join(os.tmpdir(), 'asmvs-bench-'));
const started = new Date();
const loadStart = os.loadavg();
const outcomes: BenchOutcome[] = [];
console.log(`bench: ${selected.length} benchmarks; logs in ${logs}; results to ${out}`);
for (const b of selected) {
  const elapsed = (Date.now() - started.getTime()) / 1000;
  const why =
    b.needs.map((n) => missing[n]).find((m) => m !== undefined) ??
    (elapsed > BUDGET_S ? `the run's time budget (${BUDGET_S / 60} min) was spent` : undefined);
  if (why) {
    console.log(`\n== ${b.name}: skipped: ${why}`);
    outcomes.push({ name: b.name, args: b.args, status: `skipped: ${why}`, seconds: 0, rows: [], tail: [] });
    continue;
  }
  console.log(`\n== ${b.name} ${b.args.join(' ')} (at most ${b.timeoutS} s)`);
  const file = b.name.replaceAll('/', '_');
  const rowsFile = join(logs, `${file}.jsonl`);
  const t0 = Date.now();
  const { status, tail } = await runOne(b, rowsFile, join(logs, `${file}.log`));
  const rows = existsSync(rowsFile)
    ? readFileSync(rowsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Row)
    : [];
  outcomes.push({ name: b.name, args: b.args, status, seconds: (Date.now() - t0) / 1000, rows, tail });
  console.log(`== ${b.name}: ${status}, ${rows.length} rows, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const cpus = os.cpus();
const markdown = resultsMarkdown(
  {
    started,
    seconds: (Date.now() - started.getTime()) / 1000,
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
    load: { start: loadStart, end: os.loadavg() },
    node: process.version,
    commit: `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : ''}`,
    stack: !selected.some((b) => b.needs.includes('stack'))
      ? 'not needed'
      : stack
        ? `not used (${stack})`
        : `${process.env['KAFKA_BROKERS']}, ${process.env['SCHEMA_REGISTRY_URL']}`,
  },
  outcomes,
);
writeFileSync(out, markdown);
console.log(`\nbench: wrote ${out}; logs in ${logs}`);
