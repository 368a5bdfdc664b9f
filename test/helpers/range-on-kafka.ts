// A range scanned on Kafka with host_scan copies in a lab's scanner namespace (netns-range.ts): start copies,
// submit a scan, read its host reports and wait for asm_progress's COMPLETED. Shared by the range integration
// test and bench/scanners/range-scan.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Config } from '../../src/config/config.ts';
import { scanTargetRequest } from '../../src/app/requests.ts';
import { readJobEvent, type HostCounts } from '../../src/processors/job-events.ts';
import { publishEvent } from '../../src/runtime/kafka/publish.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import type { DiscoveryProgress } from '../../src/schemas/types.gen.ts';
import type { RangeLab } from './netns-range.ts';

// As users run it: bin/asmvs.js applies the long-running commands' memory defaults.
const CLI = new URL('../../bin/asmvs.js', import.meta.url).pathname;

/** A `host_scan` copy in the lab's scanner namespace, in `group`, with the given environment. */
export function hostScanCopy(lab: RangeLab, group: string, env: Record<string, string>): ChildProcess {
  const argv = lab.inside([process.execPath, CLI, 'run', 'host_scan', '--group', group]);
  const child = spawn(argv[0] as string, argv.slice(1), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.env['TEST_LOG'] && process.stderr.write(d));
  return child;
}

export interface RangeRun {
  readonly requestId: string;
  /** asm_progress's final counts; undefined when the request did not complete in time. */
  readonly counts: HostCounts | undefined;
  /** Every HOST_DONE record of the request, duplicates included, in the order read. */
  readonly hostDone: DiscoveryProgress[];
  /** From the request's production to COMPLETED being read. */
  readonly elapsedMs: number;
  /** When the request was produced (ms since the epoch): HOST_DONE's producedAt is on the same clock. */
  readonly producedAt: number;
}

/** Submits a discovery-only scan of `target` and reads until asm_progress says COMPLETED (or the timeout). */
export async function scanOnKafka(
  config: Config,
  target: string,
  o: { timeoutMs: number; profile?: string; onHostDone?: (done: number) => void },
): Promise<RangeRun> {
  const request = {
    ...scanTargetRequest(target, { scope: null, profile: o.profile ?? 'fast' }),
    scanAfterDiscovery: false,
  };
  const signal = AbortSignal.timeout(o.timeoutMs);
  const finished = new AbortController();
  const hostDone: DiscoveryProgress[] = [];
  const progress = readTopic(
    config,
    'discovery-progress',
    { from: 'earliest', signal: AbortSignal.any([signal, finished.signal]) },
    (r) => {
      if (r.value?.requestId === request.requestId && r.value.kind === 'HOST_DONE') {
        hostDone.push(r.value);
        o.onHostDone?.(hostDone.length);
      }
    },
  ).catch(() => undefined);
  const producedAt = Date.now();
  const started = performance.now();
  await publishEvent(config, 'discovery-requests', request.requestId, request);
  let counts: HostCounts | undefined;
  let elapsedMs = Number.NaN;
  await readTopic(config, 'job-status', { from: 'earliest', signal }, (r) => {
    if (r.value?.requestId !== request.requestId) return undefined;
    const event = readJobEvent(r.value);
    if (event?.type !== 'hosts' || !event.complete) return undefined;
    counts = event.counts;
    elapsedMs = performance.now() - started;
    return 'stop';
  }).catch(() => undefined);
  // Every HOST_DONE is written before asm_progress can say COMPLETED: read up to them, then stop.
  for (const deadline = Date.now() + 10_000; counts && hostDone.length < counts.done && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 50));
  finished.abort();
  await progress;
  return { requestId: request.requestId, counts, hostDone, elapsedMs, producedAt };
}
