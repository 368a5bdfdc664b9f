// De-duplication inside one report: the same fingerprint twice is one finding with an occurrence count.
import type { Finding } from '../schemas/types.gen.ts';
import { AsmvsError } from '../errors.ts';
import { findingEventId } from './finding-from-draft.ts';
import { sortedUnique } from './fingerprint.ts';

/** Merges a repeat into the first finding: counts add, id lists union; the first occurrence's text wins. */
export function mergeRepeat(into: Finding, repeat: Finding): void {
  into.occurrences += repeat.occurrences;
  into.cves = sortedUnique([...into.cves, ...repeat.cves]);
  into.advisories = sortedUnique([...into.advisories, ...repeat.advisories]);
  into.cwes = sortedUnique([...into.cwes, ...repeat.cwes]);
  into.references = sortedUnique([...into.references, ...repeat.references]);
}

/** Collects a whole report's findings (normalizeRaw): exact counts, bounded by maxFindings. */
export class ReportDeduplicator {
  readonly #byFingerprint = new Map<string, Finding>();
  readonly #maxFindings: number;

  constructor(maxFindings: number) {
    this.#maxFindings = maxFindings;
  }

  add(f: Finding): void {
    const first = this.#byFingerprint.get(f.fingerprint);
    if (first) {
      mergeRepeat(first, f);
      return;
    }
    if (this.#byFingerprint.size >= this.#maxFindings) {
      throw new AsmvsError(
        'OUTPUT_TOO_LARGE',
        `the report has more than ${this.#maxFindings} distinct findings; normalize it as a stream instead`,
        { details: { maxFindings: this.#maxFindings } },
      );
    }
    this.#byFingerprint.set(f.fingerprint, f);
  }

  /** In report order, with event ids that include the final occurrence count. */
  findings(): Finding[] {
    const out = [...this.#byFingerprint.values()];
    // a finding seen once keeps the id findingFromDraft gave it
    for (const f of out) if (f.occurrences !== 1) f.eventId = withCount(f);
    return out;
  }
}

/**
 * Streaming de-duplication (normalizeStream): a finding is emitted the first time it is seen; the fingerprints seen
 * are remembered (bounded by maxDistinct). Repeats of an emitted finding are counted and, at the end, emitted once
 * more with the total count: downstream upserts by fingerprint, so the later event carries the final count.
 */
export class StreamDeduplicator {
  readonly #seen = new Set<string>();
  readonly #repeats = new Map<string, Finding>();
  readonly #maxDistinct: number;
  readonly #maxRepeated: number;

  constructor(maxDistinct: number, maxRepeated: number) {
    this.#maxDistinct = maxDistinct;
    this.#maxRepeated = maxRepeated;
  }

  get distinct(): number {
    return this.#seen.size;
  }

  /** The finding to emit now, or null for a repeat. */
  add(f: Finding): Finding | null {
    const key = compactKey(f.fingerprint);
    if (!this.#seen.has(key)) {
      if (this.#seen.size >= this.#maxDistinct) {
        throw new AsmvsError('OUTPUT_TOO_LARGE', `the report has more than ${this.#maxDistinct} distinct findings`, {
          details: { maxDistinct: this.#maxDistinct },
        });
      }
      this.#seen.add(key);
      return f;
    }
    const held = this.#repeats.get(f.fingerprint);
    if (held) mergeRepeat(held, f);
    else {
      if (this.#repeats.size >= this.#maxRepeated) {
        throw new AsmvsError('OUTPUT_TOO_LARGE', `the report repeats more than ${this.#maxRepeated} findings`, {
          details: { maxRepeated: this.#maxRepeated },
        });
      }
      f.occurrences += 1; // the first occurrence, already emitted
      this.#repeats.set(f.fingerprint, f);
    }
    return null;
  }

  /** The corrected counts, once the report has ended. */
  corrections(): Finding[] {
    const out = [...this.#repeats.values()];
    for (const f of out) f.eventId = withCount(f);
    return out;
  }
}

/**
 * The first 128 bits of the fingerprint as a fresh 16-character string: a third of the memory of the hex form
 * (a million fingerprints fit in ~60 MB), and a collision among 2^32 findings has a probability below 2^-64.
 */
function compactKey(fp: string): string {
  return Buffer.from(fp.slice(0, 32), 'hex').toString('latin1');
}

function withCount(f: Finding): string {
  return findingEventId(f.eventId.slice(0, 16), f.provenance.rawEventId ?? '', f.fingerprint, f.occurrences);
}
