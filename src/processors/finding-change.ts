// The asset-changes event for a finding's state change (FINDING_OPENED / _REOPENED / _RESOLVED): the finding's
// fingerprint is the subject and its observation time the observation, so a redelivered change has the same ids.
import { assetChangeEvent } from '../monitoring/change-event.ts';
import type { AssetChange, ChangeKind } from '../schemas/types.gen.ts';

export function findingChange(
  stage: string,
  c: { assetId: string; kind: ChangeKind; fingerprint: string; observedAt: number; requestId: string; now: number },
): AssetChange {
  return assetChangeEvent(stage, {
    assetId: c.assetId,
    requestId: c.requestId,
    change: { kind: c.kind, subject: c.fingerprint, before: null, after: null },
    observation: c.observedAt,
    observedAt: c.observedAt,
    now: c.now,
  });
}
