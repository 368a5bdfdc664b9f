// `asmvs scan <target>` without infrastructure: every stage in this process on the local runner, from a discovery
// request to normalized findings. The target is scope-checked before anything starts, so a bad or out-of-scope
// target fails at once and sends nothing.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.ts';
import { AsmvsError } from '../errors.ts';
import { createLocalRunner } from '../runtime/local/local-runner.ts';
import type { Logger } from '../processor.ts';
import type { Finding, JobStatus } from '../schemas/types.gen.ts';
import { scannerContext } from '../scanners/index.ts';
import { scopeTarget } from '../scanners/scope/resolve.ts';
import { producerOf } from '../version.ts';
import { profilePorts } from '../engines/profiles.ts';
import { wireStages, type WiringOptions } from './stage-deps.ts';
import { byRisk } from './finding-order.ts';

export interface OneShotOptions extends WiringOptions {
  readonly profile: string;
  readonly ports?: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Called with each job-status event as the stages report. */
  readonly onStatus?: (status: JobStatus) => void;
}

export interface OneShotResult {
  readonly requestId: string;
  readonly findings: Finding[];
  readonly elapsedMs: number;
}

export async function oneShotScan(config: Config, target: string, options: OneShotOptions): Promise<OneShotResult> {
  const started = Date.now();
  profilePorts(options.profile);
  const ctx = scannerContext(config, {
    signal: options.signal,
    ...(options.io ? { io: options.io } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  await scopeTarget(ctx.policy, target, ctx.resolver, options.signal);

  // The one-shot scan prints its findings; it never writes to a database, even where DATABASE_URL is set.
  const wiring = wireStages({ ...config, database: undefined }, options);
  const runner = createLocalRunner({ stages: wiring.stages, runtime: config.runtime, logger: options.logger });
  const requestId = randomUUID();
  const onAbort = () => void runner.stop();
  options.signal.addEventListener('abort', onAbort, { once: true });
  let reported = 0;
  const report = () => {
    const statuses = runner.collected('job-status');
    for (; reported < statuses.length; reported++) options.onStatus?.(statuses[reported]!.value);
  };
  const ticker = setInterval(report, 200);
  try {
    runner.publish('discovery-requests', requestId, {
      eventId: randomUUID(),
      requestId,
      producedAt: Date.now(),
      producer: producerOf('cli'),
      targets: [target],
      scope: null,
      ports: options.ports ?? null,
      profile: options.profile,
      enumerateSubdomains: false,
      reverseDns: true,
      engine: 'BUILTIN',
      scanAfterDiscovery: true,
      organizationId: null,
      labels: {},
    });
    await runner.idle();
    report();
    if (options.signal.aborted) throw new AsmvsError('ABORTED', 'the scan was interrupted');
    const failed = runner.deadLetters[0];
    if (failed) throw failed.error;
    const findings = new Map<string, Finding>();
    for (const record of runner.collected('normalized-findings')) findings.set(record.key, record.value);
    return { requestId, findings: [...findings.values()].sort(byRisk), elapsedMs: Date.now() - started };
  } finally {
    clearInterval(ticker);
    options.signal.removeEventListener('abort', onAbort);
    await runner.stop();
    await wiring.close();
  }
}
