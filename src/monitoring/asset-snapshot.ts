// The compact state asm_exposure keeps per asset (its ctx.keyed state): only what change detection compares. It is
// capped so that its JSON stays well inside the keyed-state limit (64 KiB) whatever a scanner reports: at most
// SNAPSHOT_LIMITS.services open services (lowest port first), text cut to SNAPSHOT_LIMITS.text characters without
// control or format characters, at most SNAPSHOT_LIMITS.reported remembered certificates; and if the JSON is still
// larger than SNAPSHOT_LIMITS.bytes (long non-ASCII text), services are dropped from the highest port down.
import type { Asset, Exposure, ExposureLevel, Service } from '../schemas/types.gen.ts';

export const SNAPSHOT_LIMITS = { services: 128, text: 64, reported: 128, bytes: 48 * 1024 } as const;

export interface ServiceSnapshot {
  readonly service: string | null;
  readonly product: string | null;
  readonly version: string | null;
  /** SHA-256 fingerprint (hex) of the certificate the service presented; null without TLS. */
  readonly cert: string | null;
  readonly notAfter: number | null;
}

export interface AssetSnapshot {
  /** The asset's canonical value (address or domain), for subjects. */
  readonly value: string;
  readonly observedAt: number;
  /** Open services by `port/protocol` (e.g. `6379/tcp`), in ascending port order. */
  readonly services: Readonly<Record<string, ServiceSnapshot>>;
  /** Open services seen beyond the caps, not tracked (their changes are not reported). */
  readonly untracked: number;
  readonly level: ExposureLevel;
  readonly score: number;
  /** Certificate fingerprints already reported CERTIFICATE_EXPIRING (never reported twice). */
  readonly expiring: readonly string[];
  /** The monitor's interval when the asset came from a monitored round (its labels), else null. */
  readonly monitorEveryMs: number | null;
  /** Reported ASSET_DISAPPEARED and not seen since. */
  readonly gone: boolean;
}

export function serviceKey(s: { readonly port: number; readonly protocol: string }): string {
  return `${s.port}/${s.protocol.toLowerCase()}`;
}

/** Port, then protocol: the order services are kept in and the cap applies to. */
export function compareServiceKeys(a: string, b: string): number {
  return parseInt(a, 10) - parseInt(b, 10) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Scanner text as kept: no control or format characters, trimmed, at most SNAPSHOT_LIMITS.text characters. */
export function clipText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  if (clean === '') return null;
  const chars = Array.from(clean);
  return chars.length <= SNAPSHOT_LIMITS.text ? clean : chars.slice(0, SNAPSHOT_LIMITS.text).join('');
}

function serviceSnapshot(s: Service): ServiceSnapshot {
  const cert = s.tls?.fingerprintSha256 ? clipText(s.tls.fingerprintSha256.toLowerCase()) : null;
  return {
    service: clipText(s.service),
    product: clipText(s.product),
    version: clipText(s.version),
    cert,
    notAfter: cert === null ? null : (s.tls?.notAfter ?? null),
  };
}

export function snapshotOf(
  asset: Asset,
  exposure: Exposure,
  carried: { readonly expiring: readonly string[]; readonly monitorEveryMs: number | null },
): AssetSnapshot {
  const open = new Map<string, Service>();
  for (const s of asset.services) if (s.state === 'open' && !open.has(serviceKey(s))) open.set(serviceKey(s), s);
  const keys = [...open.keys()].sort(compareServiceKeys);
  const kept = keys.slice(0, SNAPSHOT_LIMITS.services);
  const services = Object.fromEntries(kept.map((k) => [k, serviceSnapshot(open.get(k) as Service)]));
  // Certificates still presented are remembered first: forgetting one of them would report it expiring again.
  const presented = new Set(Object.values(services).map((s) => s.cert));
  const snapshot: AssetSnapshot = {
    value: clipText(asset.value) ?? asset.assetId.slice(0, SNAPSHOT_LIMITS.text),
    observedAt: asset.observedAt,
    services,
    untracked: keys.length - kept.length,
    level: exposure.level,
    score: exposure.score,
    expiring: [
      ...carried.expiring.filter((fp) => presented.has(fp)),
      ...carried.expiring.filter((fp) => !presented.has(fp)),
    ].slice(0, SNAPSHOT_LIMITS.reported),
    monitorEveryMs: carried.monitorEveryMs,
    gone: false,
  };
  return fitted(snapshot);
}

/** The snapshot with services dropped from the highest port down until its JSON fits SNAPSHOT_LIMITS.bytes. */
function fitted(snapshot: AssetSnapshot): AssetSnapshot {
  let size = Buffer.byteLength(JSON.stringify(snapshot));
  if (size <= SNAPSHOT_LIMITS.bytes) return snapshot;
  const entries = Object.entries(snapshot.services);
  let untracked = snapshot.untracked;
  while (size > SNAPSHOT_LIMITS.bytes && entries.length > 0) {
    const [key, value] = entries.pop() as [string, ServiceSnapshot];
    size -= Buffer.byteLength(JSON.stringify({ [key]: value })) - 1; // the entry and its comma
    untracked++;
  }
  return { ...snapshot, services: Object.fromEntries(entries), untracked };
}

/**
 * Whether the snapshot knows the state of this service: every service when nothing was left out, otherwise only
 * those up to the highest port kept (a service beyond it may be open but untracked).
 */
export function covers(snapshot: AssetSnapshot, key: string): boolean {
  if (snapshot.untracked === 0 || key in snapshot.services) return true;
  const last = Object.keys(snapshot.services).sort(compareServiceKeys).at(-1);
  return last !== undefined && compareServiceKeys(key, last) < 0;
}

/** The state read back: a snapshot when it has the shape this version writes, else undefined (seen as new). */
export function readSnapshot(state: unknown): AssetSnapshot | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const s = state as Partial<AssetSnapshot>;
  if (
    typeof s.value !== 'string' ||
    typeof s.observedAt !== 'number' ||
    !s.services ||
    typeof s.services !== 'object' ||
    !Array.isArray(s.expiring) ||
    typeof s.gone !== 'boolean'
  )
    return undefined;
  return state as AssetSnapshot;
}
