// `asmvs scan <target>` without infrastructure: every stage in this process on the local runner, from a discovery
// request to normalized findings — the same per-host path as on Kafka (asm_discovery expands, host_scan scans each
// address, asm_progress counts). The target is checked before anything starts, so a bad or out-of-scope target
// fails at once and sends nothing. Interrupted (the signal aborts), it returns the findings normalized so far.
import type { Config } from '../config/config.ts';
import { createLocalRunner } from '../runtime/local/local-runner.ts';
import type { Logger } from '../processor.ts';
import type { Finding, JobStatus, Scope } from '../schemas/types.gen.ts';
import { scannerContext } from '../scanners/index.ts';
import { parseTarget } from '../scanners/scope/target.ts';
import { scopeTarget } from '../scanners/scope/resolve.ts';
import { wireStages, type WiringOptions } from './stage-deps.ts';
import { byRisk } from './finding-order.ts';
import { checkRequest } from './check-request.ts';
import { scanTargetRequest, type ScanTargetOptions } from './requests.ts';

export interface OneShotOptions extends WiringOptions, Omit<ScanTargetOptions, 'scope'> {
  /** Narrows the operator's scope (SCOPE_ALLOW/SCOPE_DENY) for this scan, as a submitted request's scope does. */
  readonly scope?: Scope | null;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Called with each job-status event as the stages report. */
  readonly onStatus?: (status: JobStatus) => void;
}

export interface OneShotResult {
  readonly requestId: string;
  readonly findings: Finding[];
  readonly elapsedMs: number;
  /** false: interrupted; the findings are those normalized before the signal. */
  readonly complete: boolean;
}

/**
 * Refuses, before any traffic, what the one-shot scan would refuse later: every door's check (no DNS), then a name
 * resolved once, so that a name whose answers are out of scope (metadata, denied, embedded in IPv6) fails at once.
 */
async function checkTarget(config: Config, target: string, options: OneShotOptions): Promise<void> {
  const policy = checkRequest(config.scope, {
    targets: [target],
    scope: options.scope ?? null,
    profile: options.profile,
    ports: options.ports ?? null,
  });
  const kind = parseTarget(target).kind;
  if (kind !== 'hostname' && kind !== 'url') return;
  const ctx = scannerContext(config, {
    signal: options.signal,
    ...(options.io ? { io: options.io } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  await scopeTarget(policy, target, ctx.resolver, options.signal);
}

export async function oneShotScan(config: Config, target: string, options: OneShotOptions): Promise<OneShotResult> {
  const started = Date.now();
  await checkTarget(config, target, options);
  // The one-shot scan prints its findings and uses no infrastructure: no database, no platform API, even where
  // DATABASE_URL or API_BASE_URL is set.
  const wiring = await wireStages({ ...config, database: undefined, api: undefined }, options);
  const runner = createLocalRunner({
    stages: wiring.stages.map((s) => ({ processor: s.processor, deps: s.deps, concurrency: s.concurrency })),
    runtime: config.runtime,
    logger: options.logger,
  });
  const request = scanTargetRequest(target, { ...options, scope: options.scope ?? null });
  const onAbort = () => void runner.stop();
  options.signal.addEventListener('abort', onAbort, { once: true });
  let reported = 0;
  const report = () => {
    const statuses = runner.collected('job-status');
    for (; reported < statuses.length; reported++) options.onStatus?.(statuses[reported]!.value);
  };
  const ticker = setInterval(report, 200);
  try {
    runner.publish('discovery-requests', request.requestId, request);
    await runner.idle();
    report();
    const complete = !options.signal.aborted;
    const failed = runner.deadLetters.find((d) => d.topic !== 'host-scans.dlq') ?? runner.deadLetters[0];
    if (complete && failed) throw failed.error;
    const findings = new Map<string, Finding>();
    for (const record of runner.collected('normalized-findings')) findings.set(record.key, record.value);
    return {
      requestId: request.requestId,
      findings: [...findings.values()].sort(byRisk),
      elapsedMs: Date.now() - started,
      complete,
    };
  } finally {
    clearInterval(ticker);
    options.signal.removeEventListener('abort', onAbort);
    await runner.stop();
    await wiring.close();
  }
}
