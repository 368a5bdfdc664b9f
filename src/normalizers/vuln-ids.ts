// Vulnerability and weakness identifiers (CVE, GHSA, CWE), found wherever a scanner put them (ids, aliases, tags,
// reference URLs, prose). Not src/ids.ts, which makes asmvs's own deterministic ids.
const CVE = /\bCVE-\d{4}-\d{4,}\b/gi;
const GHSA = /\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b/gi;
const CWE = /\bCWE[-_: ]?(\d{1,5})\b/gi;

export function extractCves(text: string): string[] {
  return [...text.matchAll(CVE)].map((m) => m[0].toUpperCase());
}

export function extractGhsas(text: string): string[] {
  return [...text.matchAll(GHSA)].map((m) => 'GHSA' + m[0].slice(4).toLowerCase());
}

/** "CWE-79", "cwe_79", "CWE:79" → "CWE-79". */
export function extractCwes(text: string): string[] {
  return [...text.matchAll(CWE)].map((m) => `CWE-${Number(m[1])}`);
}

/** A bare CWE number (ZAP's cweid, OSV's database_specific) → "CWE-n"; 0, -1 and junk → null. */
export function cweFromNumber(value: unknown): string | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  return Number.isInteger(n) && n > 0 ? `CWE-${n}` : null;
}

/** Classify one advisory id: CVEs go to cves, everything else (GHSA, OSV, vendor) to advisories. */
export function splitIds(ids: Iterable<string>): { cves: string[]; advisories: string[] } {
  const cves: string[] = [];
  const advisories: string[] = [];
  for (const raw of ids) {
    const id = raw.trim();
    if (id === '') continue;
    if (/^CVE-\d{4}-\d{4,}$/i.test(id)) cves.push(id.toUpperCase());
    else if (/^GHSA-/i.test(id)) advisories.push('GHSA' + id.slice(4).toLowerCase());
    else advisories.push(id);
  }
  return { cves, advisories };
}
