// Version order per ecosystem, for reading advisory ranges (which fix applies to the installed version). PyPI has
// PEP 440 (@renovatebot/pep440), npm/Go/crates/Hex/Pub and OSV SEMVER ranges have SemVer (node-semver); the other
// ecosystems (Debian, Alpine, Maven, RubyGems, NuGet, Packagist, …) get a generic order that agrees with theirs on
// the versions advisories use: epochs, numeric runs compared as numbers, pre-release words and `~` before the
// release. null means "cannot be ordered": the caller then claims nothing rather than a wrong fix.
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';

export type Compare = (a: string, b: string) => number | null;

const SEMVER_ECOSYSTEMS = new Set(['npm', 'go', 'crates.io', 'hex', 'pub', 'swifturl', 'bitnami', 'semver']);

/** The comparator for an OSV ecosystem ("PyPI", "Debian:12", …) or range type ("SEMVER"). */
export function comparatorFor(ecosystem: string): Compare {
  const base = (ecosystem.split(':')[0] ?? '').trim().toLowerCase();
  if (base === 'pypi') return comparePep440;
  if (SEMVER_ECOSYSTEMS.has(base)) return compareSemver;
  return compareGeneric;
}

function comparePep440(a: string, b: string): number | null {
  if (pep440.valid(a) === null || pep440.valid(b) === null) return compareGeneric(a, b);
  return pep440.compare(a, b);
}

function compareSemver(a: string, b: string): number | null {
  // Go writes v1.2.3; OSV's SEMVER type allows a leading v too
  const x = semver.valid(a.replace(/^v/, ''), { loose: true });
  const y = semver.valid(b.replace(/^v/, ''), { loose: true });
  if (x === null || y === null) return compareGeneric(a, b);
  return semver.compare(x, y);
}

// single letters are not pre-release words here: OpenSSL's 1.1.1a comes after 1.1.1 (PEP 440's 1.0a1 goes to pep440)
const PRE_RELEASE = /^(alpha|beta|rc|cr|pre|preview|dev|snapshot|milestone|ea)$/i;
const SAME_AS_RELEASE = /^(final|ga|release|r)$/i;

type Part = { kind: 'num'; n: bigint } | { kind: 'word'; w: string } | { kind: 'tilde' };

/** The generic order; null for an empty version or one without any digit (a commit id, a name). */
export function compareGeneric(a: string, b: string): number | null {
  const x = split(a);
  const y = split(b);
  if (!x || !y) return null;
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  for (let i = 0; ; i++) {
    const p = x.parts[i];
    const q = y.parts[i];
    if (p === undefined && q === undefined) return 0;
    // where one version ends, it reads on as zeros (1.0 == 1.0.0) before anything else
    const c = comparePart(p ?? ZERO_OR_END(q), q ?? ZERO_OR_END(p));
    if (c !== 0) return c;
  }
}

const END: Part = { kind: 'word', w: '' };
const ZERO: Part = { kind: 'num', n: 0n };

/** What an ended version compares as against the other's next part: 0 against a number, the release otherwise. */
function ZERO_OR_END(other: Part | undefined): Part {
  return other?.kind === 'num' ? ZERO : END;
}

function comparePart(p: Part, q: Part): number {
  if (p.kind === 'tilde' || q.kind === 'tilde') return p.kind === q.kind ? 0 : p.kind === 'tilde' ? -1 : 1;
  if (p === END || q === END) {
    // the release against what the other goes on with: a pre-release word is below it, anything else above
    const other = (p === END ? q : p) as Part;
    const sign = other.kind === 'word' && (PRE_RELEASE.test(other.w) || other === END) ? -1 : 1;
    if (other === END || (other.kind === 'word' && SAME_AS_RELEASE.test(other.w))) return 0;
    return p === END ? -sign : sign;
  }
  if (p.kind === 'num' && q.kind === 'num') return p.n === q.n ? 0 : p.n < q.n ? -1 : 1;
  // a word against a number: 1.0-rc1 < 1.0.1, but 1.0a (a letter suffix) > 1.0
  if (p.kind === 'word' && q.kind === 'num') return PRE_RELEASE.test(p.w) ? -1 : 1;
  if (p.kind === 'num' && q.kind === 'word') return PRE_RELEASE.test(q.w) ? 1 : -1;
  const w1 = (p as { w: string }).w.toLowerCase();
  const w2 = (q as { w: string }).w.toLowerCase();
  const r1 = rank(w1);
  const r2 = rank(w2);
  if (r1 !== r2) return r1 < r2 ? -1 : 1;
  return w1 === w2 ? 0 : w1 < w2 ? -1 : 1;
}

const ORDER = ['dev', 'snapshot', 'alpha', 'beta', 'milestone', 'ea', 'pre', 'preview', 'rc', 'cr'];

function rank(w: string): number {
  const i = ORDER.indexOf(w);
  return i === -1 ? ORDER.length : i;
}

function split(version: string): { epoch: number; parts: Part[] } | null {
  let v = version.trim();
  if (!/\d/.test(v) || /^[0-9a-f]{40}$/i.test(v)) return null;
  let epoch = 0;
  const e = /^(\d+):(.+)$/.exec(v);
  if (e) {
    epoch = Number(e[1]);
    v = e[2]!;
  }
  v = v.replace(/^v(?=\d)/i, '');
  const parts: Part[] = [];
  for (const m of v.matchAll(/(\d+)|([A-Za-z]+)|(~)/g)) {
    if (m[1] !== undefined) parts.push({ kind: 'num', n: BigInt(m[1]) });
    else if (m[2] !== undefined) parts.push({ kind: 'word', w: m[2] });
    else parts.push({ kind: 'tilde' });
  }
  return { epoch, parts };
}
