// findings_resolver: scan-results → PostgreSQL. For a complete scan, once the sink holds every finding the scan
// reported (counted by the scan id recorded per finding), resolves the findings of the same asset and scanner that
// were last seen before the scan finished. Until then it throws a retryable error: the scan's findings may still be
// in flight on other partitions of normalized-findings, and the runtime retries with backoff. A summary recorded
// before (redelivered after the commit, or replayed) reports the same changes again, with the same ids.
import { AsmvsError } from '../errors.ts';
import type { Processor } from '../processor.ts';
import type { ScanResolution, ScanSummary } from '../sink/index.ts';
import { findingChange } from './finding-change.ts';

export interface FindingsResolverDeps {
  resolveScan(scan: ScanSummary): Promise<ScanResolution>;
  now(): number;
}

export const STAGE = 'findings_resolver';

export const findingsResolver: Processor<'scan-results', 'asset-changes', FindingsResolverDeps> = {
  name: STAGE,
  input: 'scan-results',
  outputs: ['asset-changes'],
  async handle(scan, ctx) {
    if (!scan.complete) return;
    const outcome = await ctx.deps.resolveScan(scan);
    if (outcome.state === 'waiting') {
      throw new AsmvsError(
        'SCAN_FINDINGS_PENDING',
        `scan ${scan.scanId}: ${outcome.held} of its ${outcome.expected} findings are stored; resolution waits for the rest`,
        { details: { scanId: scan.scanId, held: outcome.held, findingCount: outcome.expected } },
      );
    }
    // 'already': a redelivery (or replay) reports what the scan resolved once more, in case the first publish failed
    if (outcome.state !== 'resolved' && outcome.state !== 'already') {
      ctx.log.debug({ scanId: scan.scanId, state: outcome.state }, 'scan summary needs no resolution');
      return;
    }
    const now = ctx.deps.now();
    for (const fingerprint of outcome.resolved) {
      ctx.emit(
        'asset-changes',
        scan.assetKey,
        findingChange(STAGE, {
          assetId: scan.assetKey,
          kind: 'FINDING_RESOLVED',
          fingerprint,
          observedAt: scan.finishedAt,
          requestId: scan.requestId,
          now,
        }),
      );
    }
  },
};
