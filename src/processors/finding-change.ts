// The asset-changes event for a finding's state change (FINDING_OPENED / _REOPENED / _RESOLVED). Its ids are
// derived from what changed and when it was observed, so a redelivered change is recognisable downstream.
import { derivedEventId, stableId } from '../ids.ts';
import type { AssetChange, ChangeKind } from '../schemas/types.gen.ts';
import { producerOf } from '../version.ts';

export function findingChange(
  stage: string,
  c: { assetId: string; kind: ChangeKind; fingerprint: string; observedAt: number; requestId: string; now: number },
): AssetChange {
  const changeId = stableId('change', c.assetId, c.kind, c.fingerprint, c.observedAt);
  return {
    eventId: derivedEventId('asset-change', changeId),
    requestId: c.requestId,
    producedAt: c.now,
    producer: producerOf(stage),
    changeId,
    assetId: c.assetId,
    kind: c.kind,
    subject: c.fingerprint,
    before: null,
    after: null,
    observedAt: c.observedAt,
  };
}
