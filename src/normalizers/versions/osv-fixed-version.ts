// The fixed version that applies to an installed version, from an OSV record's affected ranges
// (https://ossf.github.io/osv-schema/#affectedranges-field). Each range is a list of events; sorted by version, a
// version is affected between an `introduced` and the next `fixed` (or up to and including a `last_affected`). The
// fix for the installed version is the `fixed` that closes the interval containing it — not the first `fixed` of the
// first range, which for django 3.2.4 is 2.2.26, a downgrade. GIT ranges are ordered by commits, not versions: their
// events are commit ids and never a version. When no interval contains the installed version (or the versions cannot
// be ordered) there is no claim: null.
import { obj, objs, str } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { comparatorFor } from './compare-versions.ts';
import type { Compare } from './compare-versions.ts';

const COMMIT = /^[0-9a-f]{40}$/i;

export function osvFixedVersion(vuln: Obj, pkg: { name: string; ecosystem: string; version: string }): string | null {
  if (pkg.version === '') return null;
  for (const affected of objs(vuln, 'affected')) {
    if (!samePackage(obj(affected, 'package'), pkg)) continue;
    for (const range of objs(affected, 'ranges')) {
      const type = (str(range, 'type') ?? '').toUpperCase();
      if (type === 'GIT') continue;
      const compare = comparatorFor(type === 'SEMVER' ? 'semver' : pkg.ecosystem);
      const fixed = fixInRange(range, pkg.version, compare);
      if (fixed !== undefined) return fixed;
    }
  }
  return null;
}

function samePackage(p: Obj, pkg: { name: string; ecosystem: string }): boolean {
  const name = str(p, 'name');
  if (name !== null && normalName(name, pkg.ecosystem) !== normalName(pkg.name, pkg.ecosystem)) return false;
  const eco = str(p, 'ecosystem');
  // "Debian:12" in the record, "Debian" in the scan (or the other way round)
  return eco === null || pkg.ecosystem === '' || base(eco) === base(pkg.ecosystem);
}

function base(ecosystem: string): string {
  return (ecosystem.split(':')[0] ?? '').trim().toLowerCase();
}

/** PyPI names compare normalized (PEP 503); elsewhere as written. */
function normalName(name: string, ecosystem: string): string {
  return base(ecosystem) === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

type Event = { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; version: string };

/** undefined: this range does not contain the version; null: it does, with no fix; else the fix. */
function fixInRange(range: Obj, installed: string, compare: Compare): string | null | undefined {
  const events: Event[] = [];
  for (const e of objs(range, 'events')) {
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const v = str(e, kind);
      if (v !== null) events.push({ kind, version: v });
    }
  }
  if (events.some((e) => e.version !== '0' && COMMIT.test(e.version))) return undefined;
  // "0" is the beginning of time in every ecosystem
  const order = (a: string, b: string): number | null => (a === b ? 0 : a === '0' ? -1 : b === '0' ? 1 : compare(a, b));
  let unordered = false;
  const sorted = [...events].sort((a, b) => {
    const c = order(a.version, b.version);
    if (c === null) unordered = true;
    // at one version, a fix closes before an introduction opens (introduced 1.0, fixed 1.0 is empty)
    return (c ?? 0) || (a.kind === 'fixed' ? -1 : b.kind === 'fixed' ? 1 : 0);
  });
  if (unordered) return undefined;
  let open = false;
  let affected = false;
  for (const e of sorted) {
    const c = order(installed, e.version);
    if (c === null) return undefined;
    if (e.kind === 'introduced') {
      if (c >= 0) open = true;
      else if (!open) break;
    } else if (e.kind === 'fixed') {
      if (open && c < 0) return e.version;
      open = false;
    } else if (e.kind === 'last_affected') {
      if (open && c <= 0) affected = true;
      open = false;
    } else if (c >= 0) break; // limit: versions at or past it are outside this range
  }
  return open || affected ? null : undefined;
}
