// The short readable strings of asset changes: subjects (`127.0.0.1:6379/tcp`) and the before/after of a service,
// a certificate, an exposure and a whole asset. They are for people and alerts; consumers that need structure read
// the assets topic.
import { compareServiceKeys, type AssetSnapshot, type ServiceSnapshot } from './asset-snapshot.ts';

/** How many services an asset summary names before "… and N more". */
const SUMMARY_SERVICES = 16;

/** `host:port/protocol`, with an IPv6 address in brackets. */
export function serviceSubject(value: string, key: string): string {
  const [port, protocol] = key.split('/');
  return `${value.includes(':') ? `[${value}]` : value}:${port}/${protocol}`;
}

/** e.g. `redis Redis 7.2.4`; `open` when nothing was identified. */
export function describeService(s: ServiceSnapshot): string {
  return [s.service, s.product, s.version].filter((x) => x !== null).join(' ') || 'open';
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** e.g. `sha256:3f5a… notAfter 2026-03-01T00:00:00.000Z`, or null for no certificate. */
export function describeCert(s: Pick<ServiceSnapshot, 'cert' | 'notAfter'>): string | null {
  if (s.cert === null) return null;
  return s.notAfter === null ? `sha256:${s.cert}` : `sha256:${s.cert} notAfter ${isoDate(s.notAfter)}`;
}

export function describeExposure(s: Pick<AssetSnapshot, 'level' | 'score'>): string {
  return `${s.level} score ${s.score}`;
}

/** e.g. `INTERNAL score 26; 2 open: 22/tcp ssh, 6379/tcp redis Redis 7.2.4`. */
export function describeAsset(s: AssetSnapshot): string {
  const entries = Object.entries(s.services).sort(([a], [b]) => compareServiceKeys(a, b));
  const total = entries.length + s.untracked;
  const named = entries.slice(0, SUMMARY_SERVICES).map(([key, svc]) => `${key} ${describeService(svc)}`);
  const more = total - named.length;
  const list = named.join(', ') + (more > 0 ? `${named.length > 0 ? ', ' : ''}… and ${more} more` : '');
  return `${describeExposure(s)}; ${total === 0 ? 'nothing open' : `${total} open: ${list}`}`;
}
