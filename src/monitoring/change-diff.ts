// What changed between two observations of one asset (pure). A first sighting, and a sighting after the asset was
// reported gone, is one ASSET_APPEARED that summarises the asset, not one PORT_OPENED per port: the ports of a new
// asset are news about the asset, and an alert per port of every new host would drown the ones that matter.
// Otherwise: a port opened or closed, a service or version changed, a certificate changed, the exposure level
// changed. Certificate expiry is time-driven, not a difference: see asset-certs.ts.
import type { ChangeKind } from '../schemas/types.gen.ts';
import { describeAsset, describeCert, describeExposure, describeService, serviceSubject } from './asset-describe.ts';
import { compareServiceKeys, covers, type AssetSnapshot, type ServiceSnapshot } from './asset-snapshot.ts';

export interface Change {
  readonly kind: ChangeKind;
  /** The asset's value, or the service (`127.0.0.1:6379/tcp`). */
  readonly subject: string;
  readonly before: string | null;
  readonly after: string | null;
}

export function diffSnapshots(previous: AssetSnapshot | undefined, next: AssetSnapshot): Change[] {
  if (previous === undefined || previous.gone)
    return [
      {
        kind: 'ASSET_APPEARED',
        subject: next.value,
        before: previous === undefined ? null : describeAsset(previous),
        after: describeAsset(next),
      },
    ];
  const changes: Change[] = [];
  const keys = [...new Set([...Object.keys(previous.services), ...Object.keys(next.services)])];
  for (const key of keys.sort(compareServiceKeys)) {
    // A port only one side tracks (the other had to leave it out) is not known to have opened or closed.
    if (!covers(previous, key) || !covers(next, key)) continue;
    changes.push(...serviceChanges(serviceSubject(next.value, key), previous.services[key], next.services[key]));
  }
  if (previous.level !== next.level)
    changes.push({
      kind: 'EXPOSURE_CHANGED',
      subject: next.value,
      before: describeExposure(previous),
      after: describeExposure(next),
    });
  return changes;
}

function serviceChanges(
  subject: string,
  before: ServiceSnapshot | undefined,
  after: ServiceSnapshot | undefined,
): Change[] {
  if (before === undefined)
    return after === undefined ? [] : [{ kind: 'PORT_OPENED', subject, before: null, after: describeService(after) }];
  if (after === undefined) return [{ kind: 'PORT_CLOSED', subject, before: describeService(before), after: null }];
  const changes: Change[] = [];
  if (before.service !== after.service || before.product !== after.product || before.version !== after.version)
    changes.push({ kind: 'SERVICE_CHANGED', subject, before: describeService(before), after: describeService(after) });
  if (before.cert !== after.cert)
    changes.push({ kind: 'CERTIFICATE_CHANGED', subject, before: describeCert(before), after: describeCert(after) });
  return changes;
}
