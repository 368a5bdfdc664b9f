// The asset-changes event for one change (asm_exposure's asset changes; finding-change.ts for findings). Its ids are
// derived from the asset, the kind, the subject and the observation (an observation time, or a certificate
// fingerprint), so a redelivered event or a timer that fires twice produces identical ids, which consumers
// de-duplicate.
import { derivedEventId, stableId } from '../ids.ts';
import { producerOf } from '../version.ts';
import type { AssetChange } from '../schemas/types.gen.ts';
import type { Change } from './change-diff.ts';

export function changeIdOf(assetId: string, change: Change, observation: string | number): string {
  return stableId('change', assetId, change.kind, change.subject, observation);
}

export function assetChangeEvent(
  stage: string,
  c: {
    readonly assetId: string;
    /** The request whose observation saw it. */
    readonly requestId: string;
    readonly change: Change;
    readonly observation: string | number;
    readonly observedAt: number;
    readonly now: number;
  },
): AssetChange {
  const changeId = changeIdOf(c.assetId, c.change, c.observation);
  return {
    eventId: derivedEventId('asset-change', changeId),
    requestId: c.requestId,
    producedAt: c.now,
    producer: producerOf(stage),
    changeId,
    assetId: c.assetId,
    kind: c.change.kind,
    subject: c.change.subject,
    before: c.change.before,
    after: c.change.after,
    observedAt: c.observedAt,
  };
}
