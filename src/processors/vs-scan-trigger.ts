// vs_scan_trigger: scan-requests → scan-jobs (+ job-status). Starts a scan on its engine: BUILTIN (run by
// vs_result_fetcher with our scanners) or PLATFORM (POST /api/v1/scans). The scan id is deterministic.
import type { Processor } from '../processor.ts';
import type { ScanEngine, ScanJob, ScanRequest } from '../schemas/types.gen.ts';
import { derivedEventId, scanIdOf } from '../ids.ts';
import { AsmvsError } from '../errors.ts';
import { scanStarted, stageFailed } from './job-events.ts';
import { producerOf } from '../version.ts';

export interface ScanTriggerDeps {
  readonly defaultEngine: ScanEngine;
  readonly defaultScanners: readonly string[];
  readonly deadlineMs: number;
  /** Resolves a hostname once and checks scope; returns the address to scan (TARGET_* errors send nothing). */
  admit(request: ScanRequest, signal: AbortSignal): Promise<string>;
  /** PLATFORM engine: creates the scan on the platform, idempotently per scan id; returns the platform's id. */
  startPlatformScan?(request: ScanRequest, scanId: string, signal: AbortSignal): Promise<string>;
  readonly now: () => number;
}

export const STAGE = 'vs_scan_trigger';

export const vsScanTrigger: Processor<'scan-requests', 'scan-jobs' | 'job-status', ScanTriggerDeps, typeof STAGE> = {
  name: STAGE,
  input: 'scan-requests',
  outputs: ['scan-jobs', 'job-status'],
  async handle(request, ctx) {
    const engine = request.engine ?? ctx.deps.defaultEngine;
    const scanners = request.scanners.length > 0 ? request.scanners : [...ctx.deps.defaultScanners];
    const scanId = scanIdOf(request.requestId, request.target, scanners);
    const address = await ctx.deps.admit(request, ctx.signal);
    let platformScanId: string | null = null;
    if (engine === 'PLATFORM') {
      if (!ctx.deps.startPlatformScan)
        throw new AsmvsError(
          'ENGINE_UNAVAILABLE',
          'the request asks for the PLATFORM engine, which needs API_BASE_URL',
        );
      platformScanId = await ctx.deps.startPlatformScan(request, scanId, ctx.signal);
    }
    const startedAt = ctx.deps.now();
    const job: ScanJob = {
      eventId: derivedEventId(scanId, 'scan-job'),
      requestId: request.requestId,
      producedAt: startedAt,
      producer: producerOf(STAGE),
      scanId,
      assetId: request.assetId,
      target: request.target,
      address,
      ports: request.ports,
      scanners,
      profile: request.profile,
      engine,
      platformScanId,
      scope: request.scope,
      services: request.services,
      startedAt,
      deadlineAt: startedAt + (request.deadlineMs ?? ctx.deps.deadlineMs),
      hostname: request.hostname,
    };
    ctx.emit('scan-jobs', scanId, job);
    ctx.emit(
      'job-status',
      request.requestId,
      scanStarted(
        request.requestId,
        scanId,
        `scan ${scanId} of ${request.target} (${address}) started on ${engine.toLowerCase()}: ${scanners.join(', ')}`,
        startedAt,
      ),
    );
  },
  // Subject: the scan id handle() would have given the scan, so a follower can tell which scan never started.
  onDeadLetter(request, error, ctx) {
    if (!request) return; // undecodable bytes: no request id to report to
    const scanners = request.scanners.length > 0 ? request.scanners : [...ctx.deps.defaultScanners];
    const scanId = scanIdOf(request.requestId, request.target, scanners);
    ctx.emit('job-status', request.requestId, stageFailed(STAGE, request.requestId, error, ctx.deps.now(), scanId));
  },
};
