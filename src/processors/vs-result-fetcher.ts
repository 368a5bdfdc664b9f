// vs_result_fetcher: scan-jobs → raw-findings (+ job-status). Waits for each scan — runs the built-in scanners,
// or polls the platform with backoff until the deadline — and emits each scanner's output verbatim.
import type { Processor } from '../processor.ts';
import type { RawFinding, ScanJob } from '../schemas/types.gen.ts';
import { derivedEventId } from '../ids.ts';
import { AsmvsError, type ErrorCode } from '../errors.ts';
import { scanFetched, stageFailed } from './job-events.ts';
import { producerOf } from '../version.ts';
import type { ScannerOutput } from '../scanners/scanner.ts';

export type { ScannerOutput };

export interface ResultFetcherDeps {
  /** BUILTIN: runs the job's scanners against job.address; one output per scanner. */
  runBuiltin(job: ScanJob, signal: AbortSignal): AsyncIterable<ScannerOutput>;
  /** PLATFORM: polls GET /api/v1/scans/{id} until completed or the deadline (SCAN_DEADLINE_EXCEEDED). */
  awaitPlatform?(job: ScanJob, signal: AbortSignal): Promise<ScannerOutput>;
  readonly now: () => number;
}

export const STAGE = 'vs_result_fetcher';

const SCAN_OUTCOMES: ReadonlySet<ErrorCode> = new Set(['SCAN_DEADLINE_EXCEEDED', 'SCANNER_FAILED']);

export const vsResultFetcher: Processor<'scan-jobs', 'raw-findings' | 'job-status', ResultFetcherDeps, typeof STAGE> = {
  name: STAGE,
  input: 'scan-jobs',
  outputs: ['raw-findings', 'job-status'],
  async handle(job, ctx) {
    const key = job.assetId ?? job.target;
    const outputs: ScannerOutput[] = [];
    if (job.engine === 'PLATFORM') {
      if (!ctx.deps.awaitPlatform)
        throw new AsmvsError(
          'ENGINE_UNAVAILABLE',
          'the scan job asks for the PLATFORM engine, which needs API_BASE_URL',
        );
      try {
        outputs.push(await ctx.deps.awaitPlatform(job, ctx.signal));
      } catch (error) {
        // A scan that failed or ran out of time is an outcome of the job, not a bad event: it is reported as
        // FAILED and the scan job is done (no dead letter, no retry that would only wait out the deadline again).
        if (!(error instanceof AsmvsError) || !SCAN_OUTCOMES.has(error.code)) throw error;
        ctx.emit('job-status', job.requestId, stageFailed(STAGE, job.requestId, error, ctx.deps.now(), job.scanId));
        return;
      }
    } else {
      for await (const output of ctx.deps.runBuiltin(job, ctx.signal)) outputs.push(output);
    }
    for (const output of outputs) {
      const raw: RawFinding = {
        eventId: derivedEventId(job.scanId, output.scanner.name, 'raw'),
        requestId: job.requestId,
        producedAt: output.finishedAt,
        producer: producerOf(STAGE),
        scanId: job.scanId,
        assetId: job.assetId,
        target: job.target,
        address: job.address,
        scanner: output.scanner,
        format: output.format,
        payload: output.payload,
        truncated: output.truncated,
        complete: output.complete,
        part: 0,
        parts: 1,
        startedAt: output.startedAt,
        finishedAt: output.finishedAt,
      };
      ctx.emit('raw-findings', key, raw);
    }
    ctx.emit(
      'job-status',
      job.requestId,
      scanFetched(
        job.requestId,
        {
          scanId: job.scanId,
          outputs: outputs.length,
          message: `scan ${job.scanId} finished: ${outputs.map((o) => `${o.scanner.name} ${o.payload.length} bytes`).join(', ')}`,
        },
        ctx.deps.now(),
      ),
    );
  },
  onDeadLetter(job, error, ctx) {
    if (!job) return; // undecodable bytes: no request id to report to
    ctx.emit('job-status', job.requestId, stageFailed(STAGE, job.requestId, error, ctx.deps.now(), job.scanId));
  },
};
