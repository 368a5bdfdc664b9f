// findings_sink: normalized-findings → PostgreSQL. Upserts each finding by fingerprint (idempotent: a redelivery or
// a replay changes nothing but last_seen and normalizer_version) and reports findings stored for the first time or
// back after being resolved on asset-changes. The database commits before the change is published, so the row
// records which event made its last change: a redelivery of that event reports the change again (same ids) rather
// than losing it. Resolution is findings_resolver's, on the scan summaries.
import type { Processor } from '../processor.ts';
import type { Finding } from '../schemas/types.gen.ts';
import { findingChange } from './finding-change.ts';

export interface FindingsSinkDeps {
  /**
   * Stores the finding; tells whether this event opened or reopened it (now, or on an earlier delivery of the same
   * event). DATABASE_UNAVAILABLE (retryable) when down.
   */
  upsert(finding: Finding): Promise<{ opened: boolean; reopened: boolean }>;
  now(): number;
}

export const STAGE = 'findings_sink';

export const findingsSink: Processor<'normalized-findings', 'asset-changes', FindingsSinkDeps, typeof STAGE> = {
  name: STAGE,
  input: 'normalized-findings',
  outputs: ['asset-changes'],
  async handle(finding, ctx) {
    const { opened, reopened } = await ctx.deps.upsert(finding);
    if (!opened && !reopened) return;
    const assetId = finding.asset.assetId ?? '';
    ctx.emit(
      'asset-changes',
      assetId,
      findingChange(STAGE, {
        assetId,
        kind: opened ? 'FINDING_OPENED' : 'FINDING_REOPENED',
        fingerprint: finding.fingerprint,
        observedAt: finding.lastSeen,
        requestId: finding.requestId,
        now: ctx.deps.now(),
      }),
    );
  },
};
