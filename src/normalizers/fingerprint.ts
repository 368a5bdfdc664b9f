// The fingerprint (DESIGN.md §5): sha256 over a canonical tuple. JSON array encoding makes it delimiter-safe:
// no choice of host, path or package name can make two different tuples encode to the same bytes.
// Never hashed: timestamps, scan ids, descriptions, evidence, severity.
import { hash } from 'node:crypto';
import type { AssetKey } from './draft.ts';

/** Bump only with a migration plan: every stored fingerprint changes. */
export const FINGERPRINT_VERSION = 'asmvs-fp-1';

export function assetKeyTuple(key: AssetKey): (string | number | null)[] {
  switch (key.kind) {
    case 'service':
      return ['service', canonicalHost(key.host), key.port, key.protocol.toLowerCase()];
    case 'host':
      return ['host', canonicalHost(key.host)];
    case 'url':
      return ['url', key.origin.toLowerCase(), key.path];
    case 'package':
      return ['package', key.target, key.ecosystem.toLowerCase(), key.name, key.version, key.path];
    case 'code':
      return ['code', key.target, key.file, key.line];
    case 'target':
      return ['target', key.target];
  }
}

/**
 * `variant` tells apart findings of one rule at one place that the scanner itself tells apart (SARIF fingerprints,
 * a column); it is appended only when present, so every other fingerprint is what it was.
 */
export function fingerprint(family: string, ruleId: string, key: AssetKey, variant?: string | null): string {
  const tuple = [FINGERPRINT_VERSION, family.toLowerCase(), ruleId, ...assetKeyTuple(key)];
  if (variant !== undefined && variant !== null) tuple.push(variant);
  return hash('sha256', JSON.stringify(tuple));
}

/** Host names are case-insensitive and may end in a dot; IPv6 has many spellings: one canonical form each. */
export function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.includes(':')) {
    try {
      h = new URL(`http://[${h}]/`).hostname.slice(1, -1);
    } catch {
      // not an IPv6 literal: keep the lower-cased text
    }
  }
  return h;
}

/** Sorted, de-duplicated copy: multi-valued fields never depend on report order. */
export function sortedUnique(values: Iterable<string>): string[] {
  // most lists are empty or hold one id: no Set and no sort for them
  if (Array.isArray(values) && values.length < 2) return values.slice() as string[];
  return [...new Set(values)].sort();
}
