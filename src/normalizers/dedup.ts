// De-duplication inside one report: the same fingerprint twice is one finding with an occurrence count.
import type { Finding } from '../schemas/types.gen.ts';
import { findingEventId } from './finding-from-draft.ts';
import { sortedUnique } from './fingerprint.ts';
import { sortCvss } from './cvss.ts';
import { reportTooLarge } from './parse/limits.ts';

/**
 * Merges a repeat into the first finding: counts add, id lists and CVSS entries union, and a field the first copy
 * lacks is taken from the repeat. The first copy's text wins where both have one, so a thinner repeat (Trivy lists a
 * package's CVE once per layer, sometimes without its CVSS or description) never erases what the first said.
 */
export function mergeRepeat(into: Finding, repeat: Finding): void {
  into.occurrences += repeat.occurrences;
  into.cves = sortedUnique([...into.cves, ...repeat.cves]);
  into.advisories = sortedUnique([...into.advisories, ...repeat.advisories]);
  into.cwes = sortedUnique([...into.cwes, ...repeat.cwes]);
  into.references = sortedUnique([...into.references, ...repeat.references]);
  if (repeat.cvss.length > 0) into.cvss = sortCvss([...into.cvss, ...repeat.cvss]);
  into.description ??= repeat.description;
  into.remediation ??= repeat.remediation;
  into.evidence ??= repeat.evidence;
  into.epss ??= repeat.epss;
  into.scannerSeverity ??= repeat.scannerSeverity;
  const pkg = into.affectedPackage;
  const other = repeat.affectedPackage;
  if (pkg && other) {
    pkg.fixedVersion ??= other.fixedVersion;
    pkg.purl ??= other.purl;
  }
}

/** Collects a whole report's findings: exact counts, bounded by maxFindings. */
export class ReportDeduplicator {
  // many reports hold one finding (a built-in check's result): it is kept here, and the map made for a second one
  #only: Finding | null = null;
  #byFingerprint: Map<string, Finding> | null = null;
  readonly #maxFindings: number;

  constructor(maxFindings: number) {
    this.#maxFindings = maxFindings;
  }

  add(f: Finding): void {
    const first = this.#byFingerprint
      ? this.#byFingerprint.get(f.fingerprint)
      : this.#only?.fingerprint === f.fingerprint
        ? this.#only
        : undefined;
    if (first) {
      mergeRepeat(first, f);
      return;
    }
    const size = this.#byFingerprint?.size ?? (this.#only ? 1 : 0);
    if (size >= this.#maxFindings) {
      throw reportTooLarge(`the report has more than ${this.#maxFindings} distinct findings`, {
        maxFindings: this.#maxFindings,
      });
    }
    if (size === 0) {
      this.#only = f;
      return;
    }
    this.#byFingerprint ??= new Map([[this.#only!.fingerprint, this.#only!]]);
    this.#byFingerprint.set(f.fingerprint, f);
  }

  /** In report order, with event ids that include the final occurrence count. */
  findings(): Finding[] {
    const out = this.#byFingerprint ? [...this.#byFingerprint.values()] : this.#only ? [this.#only] : [];
    // a finding seen once keeps the id findingFromDraft gave it
    for (const f of out) if (f.occurrences !== 1) f.eventId = withCount(f);
    return out;
  }
}

function withCount(f: Finding): string {
  return findingEventId(f.eventId.slice(0, 16), f.provenance.rawEventId ?? '', f.fingerprint, f.occurrences);
}
