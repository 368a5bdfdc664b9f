// The PLATFORM scan engine: POST /api/v1/scans (idempotent per scan id), then GET /api/v1/scans/{id} polled with
// backoff until it completes or the job's deadline passes.
import { setTimeout as sleep } from 'node:timers/promises';
import { AsmvsError } from '../errors.ts';
import type { PlatformClient } from '../platform/client.ts';
import type { ScannerOutput } from '../scanners/scanner.ts';
import type { ScanJob, ScanRequest } from '../schemas/types.gen.ts';

export interface PollPolicy {
  readonly firstMs: number;
  readonly maxMs: number;
  readonly now: () => number;
}

export function platformScanStarter(client: PlatformClient) {
  return async (request: ScanRequest, scanId: string, signal: AbortSignal): Promise<string> => {
    const body = {
      scanId,
      target: request.target,
      ports: request.ports,
      scanners: request.scanners,
      profile: request.profile,
      assetId: request.assetId,
    };
    return (await client.createScan(body, `scan-${scanId}`, signal)).id;
  };
}

export function platformScanWaiter(client: PlatformClient, poll: PollPolicy) {
  return async (job: ScanJob, signal: AbortSignal): Promise<ScannerOutput> => {
    if (!job.platformScanId) throw new AsmvsError('API_BAD_RESPONSE', `scan ${job.scanId} has no platform scan id`);
    let delay = poll.firstMs;
    for (;;) {
      const scan = await client.getScan(job.platformScanId, signal);
      if (scan.status === 'completed') {
        const finishedAt = poll.now();
        return {
          scanner: { name: scan.scanner?.name ?? 'platform', version: scan.scanner?.version ?? null },
          format: scan.format ?? 'unknown',
          payload: Buffer.from(scan.report ?? '', 'base64'),
          truncated: false,
          complete: true,
          startedAt: job.startedAt,
          finishedAt,
        };
      }
      if (scan.status === 'failed' || scan.status === 'cancelled') {
        throw new AsmvsError(
          'SCANNER_FAILED',
          `platform scan ${job.platformScanId} ${scan.status}: ${scan.error ?? 'no reason given'}`,
        );
      }
      const left = job.deadlineAt - poll.now();
      if (left <= 0) {
        throw new AsmvsError(
          'SCAN_DEADLINE_EXCEEDED',
          `platform scan ${job.platformScanId} still ${scan.status} at its deadline`,
        );
      }
      await sleep(Math.min(delay, left), undefined, { signal }).catch((cause: unknown) => {
        throw new AsmvsError('ABORTED', `waiting for platform scan ${job.platformScanId} aborted`, { cause });
      });
      delay = Math.min(delay * 2, poll.maxMs);
    }
  };
}
