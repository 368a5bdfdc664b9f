// Certificate expiry (pure): which certificates an asset presents that enter the warning window
// (CERT_EXPIRY_WARNING_MS before notAfter) and were not reported yet. Each certificate — by fingerprint — is
// reported CERTIFICATE_EXPIRING once, however often the asset is rescanned; a renewed certificate is a new one.
import { SNAPSHOT_LIMITS, type AssetSnapshot } from './asset-snapshot.ts';

export interface CertWarning {
  /** The service that names it (the lowest port presenting the certificate). */
  readonly key: string;
  readonly cert: string;
  readonly notAfter: number;
  /** When it enters the warning window. */
  readonly warnAt: number;
}

/** The certificates not yet reported, one per fingerprint, by when each enters the warning window. */
export function pendingCertWarnings(snapshot: AssetSnapshot, warningMs: number): CertWarning[] {
  const reported = new Set(snapshot.expiring);
  const pending = new Map<string, CertWarning>();
  for (const [key, s] of Object.entries(snapshot.services)) {
    if (s.cert === null || s.notAfter === null || reported.has(s.cert) || pending.has(s.cert)) continue;
    pending.set(s.cert, { key, cert: s.cert, notAfter: s.notAfter, warnAt: s.notAfter - warningMs });
  }
  return [...pending.values()].sort((a, b) => a.warnAt - b.warnAt);
}

/** The snapshot after reporting these certificates expiring: remembered, newest first, within the cap. */
export function withReported(snapshot: AssetSnapshot, certs: readonly CertWarning[]): AssetSnapshot {
  if (certs.length === 0) return snapshot;
  const expiring = [...certs.map((c) => c.cert), ...snapshot.expiring].slice(0, SNAPSHOT_LIMITS.reported);
  return { ...snapshot, expiring };
}
