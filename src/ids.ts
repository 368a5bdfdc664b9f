// Deterministic ids (DESIGN.md §2): replaying a topic reproduces them, so downstream upserts stay effectively-once.
import { hash } from 'node:crypto';

/**
 * sha256 over a delimiter-safe encoding (a JSON array) of the parts, hex. The one-shot hash(): the same digest as
 * createHash().update().digest() without a Hash object per id (vs_normalization derives two ids per raw event).
 */
export function stableId(...parts: readonly (string | number | null)[]): string {
  return hash('sha256', JSON.stringify(parts));
}

export function assetIdOf(kind: 'IP' | 'DOMAIN', canonicalValue: string): string {
  return stableId('asset', kind, canonicalValue);
}

/** One scan per (request, target, scanners): a redelivered scan request maps to the same scan. */
export function scanIdOf(requestId: string, target: string, scanners: readonly string[]): string {
  return stableId('scan', requestId, target, ...[...scanners].sort()).slice(0, 32);
}

/** An event id derived from what the event is about, so that a re-run emits the same id (de-duplicable). */
export function derivedEventId(...parts: readonly (string | number | null)[]): string {
  return stableId('event', ...parts).slice(0, 32);
}
