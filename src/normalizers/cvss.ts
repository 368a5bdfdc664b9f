// CVSS vectors arrive in every spelling: "CVSS:3.1/AV:N/…", bare v2 "AV:N/AC:L/Au:N/…", "CVSS:4.0/…". A vector
// without a score (OSV and osv-scanner give vectors only) gets its base score computed with the {metæffekt} CVSS
// calculator (ae-cvss-calculator: FIRST's 2.0, 3.0, 3.1 and 4.0 specifications, no dependencies). A scanner's own
// score is kept as given.
import calculator from 'ae-cvss-calculator';
import type { Cvss } from '../schemas/types.gen.ts';

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = calculator;

const PREFIXED = /^CVSS:(\d\.\d)\/(.+)$/;

/** The CVSS version a vector declares, or "2.0" for a bare vector with the v2-only Au metric. */
export function cvssVersionOf(vector: string): string | null {
  const v = vector.trim();
  const m = PREFIXED.exec(v);
  if (m) return m[1] ?? null;
  if (/(^|\/)Au:[MSN](\/|$)/.test(v)) return '2.0';
  return null;
}

export function toScore(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 10 ? Math.round(n * 10) / 10 : null;
}

/** A Cvss entry, or null when there is neither a usable vector nor a score. */
export function makeCvss(input: {
  vector?: unknown;
  score?: unknown;
  version?: string | null;
  source?: string | null;
}): Cvss | null {
  const vector = typeof input.vector === 'string' && input.vector.trim() !== '' ? input.vector.trim() : null;
  const baseScore = toScore(input.score);
  if (vector === null && baseScore === null) return null;
  const version = (vector ? cvssVersionOf(vector) : null) ?? input.version ?? 'unknown';
  return {
    version,
    vector,
    baseScore: baseScore ?? (vector ? baseScoreOf(vector, version) : null),
    source: input.source ?? null,
  };
}

/** The base score of a complete vector, or null (unknown version, a base metric missing, a malformed value). */
export function baseScoreOf(vector: string, version: string): number | null {
  try {
    const v =
      version === '4.0'
        ? new Cvss4P0(vector)
        : version === '3.1'
          ? new Cvss3P1(vector)
          : version === '3.0'
            ? new Cvss3P0(vector)
            : version === '2.0'
              ? new Cvss2(vector)
              : null;
    if (v === null || !v.isBaseFullyDefined()) return null;
    const score = v.calculateScores().base;
    return typeof score === 'number' && Number.isFinite(score) ? toScore(score) : null;
  } catch {
    // the calculator throws on metrics it does not know: no score rather than a guess
    return null;
  }
}

/** Highest base score first, then by version and source, so the order is stable across reports. */
export function sortCvss(list: Cvss[]): Cvss[] {
  // most findings carry no CVSS or one entry: nothing to de-duplicate or order
  if (list.length < 2) return list.slice();
  const seen = new Set<string>();
  const unique = list.filter((c) => {
    const k = JSON.stringify([c.version, c.vector, c.baseScore, c.source]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return unique.sort(
    (a, b) =>
      (b.baseScore ?? -1) - (a.baseScore ?? -1) ||
      b.version.localeCompare(a.version) ||
      (a.source ?? '').localeCompare(b.source ?? '') ||
      (a.vector ?? '').localeCompare(b.vector ?? ''),
  );
}
