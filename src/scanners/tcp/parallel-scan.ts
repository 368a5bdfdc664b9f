// Splits a large port scan over worker threads (ports interleaved, so each share sees a mix of ranges) and merges
// the results. Small scans, and scans with an injected ScannerIo (tests), run on the calling thread.
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AsmvsError } from '../../errors.ts';
import { nodeIo } from '../io/scanner-io.ts';
import type { ConnectBudget } from './connect-budget.ts';
import { scanTcpPorts, type PortScanOptions, type PortScanResult } from './connect-scan.ts';
import type { Share } from './scan-worker.ts';

const WORKER_THRESHOLD = 4096;
// The worker module next to this one, with this module's extension: .ts from the sources, .js from the build.
const WORKER_URL = new URL(`./scan-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

type WorkerReply = { ok: true; result: PortScanResult } | { ok: false; message: string };

// Workers are kept between scans: starting one costs about 65 ms of CPU (Node's bootstrap in a new isolate; more
// from the sources, which are type-stripped), a sizeable part of a full range on loopback, and host_scan scans
// host after host. An idle worker is unref'd (it does not keep the process alive) and ended after IDLE_MS unused,
// so an idle process does not keep its heap; at most MAX_THREADS wait.
const MAX_THREADS = 4;
const IDLE_MS = 10_000;
const idleWorkers = new Map<Worker, NodeJS.Timeout>();

function takeWorker(): Worker {
  for (const [worker, timer] of idleWorkers) {
    idleWorkers.delete(worker);
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  const worker = new Worker(WORKER_URL);
  worker.once('exit', () => {
    clearTimeout(idleWorkers.get(worker));
    idleWorkers.delete(worker);
  });
  return worker;
}

function releaseWorker(worker: Worker): void {
  if (idleWorkers.size >= MAX_THREADS) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const timer = setTimeout(() => void worker.terminate(), IDLE_MS);
  timer.unref();
  idleWorkers.set(worker, timer);
}

function runShare(options: PortScanOptions, ports: number[], concurrency: number): Promise<PortScanResult> {
  const { io: _io, signal, budget: _budget, ...rest } = options;
  const share: Share = { ...rest, ports, concurrency };
  const worker = takeWorker();
  return new Promise((resolve, reject) => {
    // A worker that failed or was stopped mid-share is ended, not kept.
    const settle = (outcome: () => void, keep: boolean) => {
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      if (keep) releaseWorker(worker);
      else void worker.terminate();
      outcome();
    };
    const onAbort = () =>
      settle(() => reject(new AsmvsError('ABORTED', `port scan of ${options.address} was aborted`)), false);
    const onMessage = (reply: WorkerReply) =>
      reply.ok
        ? settle(() => resolve(reply.result), true)
        : settle(() => reject(new AsmvsError('SCANNER_FAILED', `port scan worker failed: ${reply.message}`)), false);
    const onError = (error: Error) =>
      settle(
        () => reject(new AsmvsError('SCANNER_FAILED', `port scan worker failed: ${error.message}`, { cause: error })),
        false,
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(share);
  });
}

/**
 * How many shares (worker threads) a large scan is split into: one more than cores, at most MAX_THREADS; on one
 * core, none. Shares are fixed in advance, so a scan takes as long as its slowest share, and beside another busy
 * process two shares on two cores run as 100/50/50 (three threads, two cores): the share next to it takes twice as
 * long. Three shares and that process are two threads per core, 1.5 cores for the scan wherever they are placed.
 * 2 cores, 7 rounds each beside one busy loop: 948 ms against 1,061 ms; idle, 719 against 720 ms and the same CPU.
 */
export function defaultThreads(cores: number): number {
  return cores < 2 ? 1 : Math.min(cores + 1, MAX_THREADS);
}

function reserve(budget: ConnectBudget, wanted: number): number {
  let taken = 0;
  while (taken < wanted && budget.tryTake()) taken += 1;
  return taken;
}

export async function scanTcpPortsParallel(
  options: PortScanOptions & { readonly threads?: number },
): Promise<PortScanResult> {
  const threads = Math.min(options.threads ?? defaultThreads(availableParallelism()), MAX_THREADS);
  if (options.io !== nodeIo || threads < 2 || options.ports.length < WORKER_THRESHOLD) return scanTcpPorts(options);
  if (options.signal?.aborted) throw new AsmvsError('ABORTED', `port scan of ${options.address} was aborted`);
  const started = performance.now();
  const shares = Array.from({ length: threads }, (_, i) => options.ports.filter((_p, j) => j % threads === i));
  let perThread = Math.max(64, Math.floor((options.concurrency ?? 1024) / threads));
  // Workers cannot share the process's connection budget: they get the slots it can spare now, reserved for the
  // whole scan. Too few spare (other hosts hold them) and the scan runs on this thread, slot by slot.
  const reserved = options.budget ? reserve(options.budget, perThread * threads) : 0;
  if (options.budget) {
    if (reserved < 64 * threads) {
      for (let n = reserved; n > 0; n--) options.budget.give();
      return scanTcpPorts(options);
    }
    perThread = Math.floor(reserved / threads);
  }
  const results = await Promise.all(shares.map((ports) => runShare(options, ports, perThread))).finally(() => {
    for (let n = reserved; n > 0; n--) options.budget?.give();
  });
  return {
    open: results.flatMap((r) => r.open).sort((a, b) => a - b),
    filtered: results.flatMap((r) => r.filtered).sort((a, b) => a - b),
    closedCount: results.reduce((n, r) => n + r.closedCount, 0),
    durationMs: performance.now() - started,
    fastestRttMs: fastestOf(results),
  };
}

/** The quickest answer of any share, or null when no share had one. */
function fastestOf(results: readonly PortScanResult[]): number | null {
  const answered = results.flatMap((r) => (r.fastestRttMs === null ? [] : [r.fastestRttMs]));
  return answered.length > 0 ? Math.min(...answered) : null;
}
