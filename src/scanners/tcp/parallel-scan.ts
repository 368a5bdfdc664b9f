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

const WORKER_THRESHOLD = 4096;
// The worker module next to this one, with this module's extension: .ts from the sources, .js from the build.
const WORKER_URL = new URL(`./scan-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

type WorkerReply = { ok: true; result: PortScanResult } | { ok: false; message: string };

function runShare(options: PortScanOptions, ports: number[], concurrency: number): Promise<PortScanResult> {
  const { io: _io, signal, budget: _budget, ...rest } = options;
  const worker = new Worker(WORKER_URL, {
    workerData: { ...rest, ports, concurrency },
  });
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      void worker.terminate();
      reject(new AsmvsError('ABORTED', `port scan of ${options.address} was aborted`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: WorkerReply) => {
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (reply.ok) resolve(reply.result);
      else reject(new AsmvsError('SCANNER_FAILED', `port scan worker failed: ${reply.message}`));
    });
    worker.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new AsmvsError('SCANNER_FAILED', `port scan worker failed: ${error.message}`, { cause: error }));
    });
  });
}

function reserve(budget: ConnectBudget, wanted: number): number {
  let taken = 0;
  while (taken < wanted && budget.tryTake()) taken += 1;
  return taken;
}

export async function scanTcpPortsParallel(
  options: PortScanOptions & { readonly threads?: number },
): Promise<PortScanResult> {
  const threads = Math.min(options.threads ?? availableParallelism(), 4);
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
    fastestRttMs: results.reduce<number | null>(
      (least, r) => (r.fastestRttMs === null || (least !== null && least <= r.fastestRttMs) ? least : r.fastestRttMs),
      null,
    ),
  };
}
