// osv-scanner JSON (`osv-scanner --format json`): results[].source (the lockfile or SBOM) and
// results[].packages[] each with its vulnerabilities and groups. One finding per (OSV id, package, version, source
// path). Severity: the advisory database's label when present, else the group's max_severity score, else the highest
// base score computed from the record's CVSS vectors (osv-scanner prints vectors only). The fixed version is the one
// that closes the affected range containing the installed version (versions/osv-fixed-version.ts); CWEs come from
// database_specific (cwe_ids as GitHub writes them, cwes as other databases do) and from each affected entry's.
import type { Draft, FormatParserFactory } from '../draft.ts';
import type { Cvss } from '../../schemas/types.gen.ts';
import { arr, isObj, num, obj, objs, str, strs } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser, requireRootKeys } from './json-format.ts';
import { makeCvss } from '../cvss.ts';
import { severityFromLabel, severityFromScore } from '../severity.ts';
import { cweFromNumber, extractCwes, splitIds } from '../vuln-ids.ts';
import { makePurl } from '../purl.ts';
import { osvFixedVersion } from '../versions/osv-fixed-version.ts';

const FAMILY = 'osv-scanner';

export const osvJson: FormatParserFactory = (context, sink) => {
  let sourcePath = '';
  const scanner = {
    name: FAMILY,
    version: context.scanner.name.toLowerCase() === FAMILY ? context.scanner.version : null,
  };
  return jsonFormatParser({
    format: 'osv-json',
    treeLimit: context.jsonTreeLimit,
    collect: [
      { path: ['results', '*', 'source'], onValue: (v) => (sourcePath = str(v, 'path') ?? '') },
      {
        path: ['results', '*', 'packages', '*'],
        onValue: (v) => {
          if (!isObj(v)) return;
          for (const d of packageDrafts(v, sourcePath, context.target, scanner)) sink(d);
        },
      },
    ],
    verify: (keys) => requireRootKeys('osv-json', keys, ['results']),
  });
};

function packageDrafts(p: Obj, path: string, target: string, scanner: Draft['scanner']): Draft[] {
  const pkg = obj(p, 'package');
  const name = str(pkg, 'name') ?? 'unknown';
  const version = str(pkg, 'version') ?? '';
  const ecosystem = str(pkg, 'ecosystem') ?? '';
  const groups = objs(p, 'groups');
  return objs(p, 'vulnerabilities').map((v) => {
    const id = str(v, 'id') ?? 'unknown';
    const group = groups.find((g) => strs(g, 'ids').includes(id));
    const { cves, advisories } = splitIds([id, ...strs(v, 'aliases')]);
    const db = obj(v, 'database_specific');
    const label = str(db, 'severity');
    const cvss: Cvss[] = objs(v, 'severity')
      .map((s) => makeCvss({ vector: str(s, 'score'), source: str(s, 'type') }))
      .filter((c): c is Cvss => c !== null);
    const groupScore = num(group, 'max_severity') ?? highest(cvss);
    return {
      family: FAMILY,
      ruleId: id,
      key: { kind: 'package', target, ecosystem, name, version, path },
      findingType: 'VULNERABILITY',
      title: str(v, 'summary') ?? `${id} in ${name} ${version}`,
      description: str(v, 'details'),
      severity: label ? severityFromLabel(label) : severityFromScore(groupScore),
      scannerSeverity: label ?? (groupScore !== null ? String(groupScore) : null),
      confidence: 'HIGH',
      cves,
      advisories,
      cwes: cwesOf(v),
      cvss,
      affectedPackage: {
        name,
        version: version || null,
        fixedVersion: osvFixedVersion(v, { name, ecosystem, version }),
        purl: makePurl(ecosystem, name, version || null),
        path: path || null,
        ecosystem: ecosystem || null,
      },
      references: objs(v, 'references').map((r) => str(r, 'url') ?? ''),
      asset: {},
      scanner,
    } satisfies Draft;
  });
}

function highest(cvss: readonly Cvss[]): number | null {
  let max: number | null = null;
  for (const c of cvss) if (c.baseScore !== null && (max === null || c.baseScore > max)) max = c.baseScore;
  return max;
}

/** database_specific.cwe_ids (GitHub: ["CWE-79"]), .cwes (["CWE-79"], [79] or [{ cweId: "CWE-79" }]), per record or per affected entry. */
function cwesOf(v: Obj): string[] {
  const out: string[] = [];
  for (const db of [obj(v, 'database_specific'), ...objs(v, 'affected').map((a) => obj(a, 'database_specific'))]) {
    out.push(...strs(db, 'cwe_ids').flatMap(extractCwes));
    for (const c of arr(db, 'cwes')) {
      if (typeof c === 'string') out.push(...extractCwes(c));
      else if (typeof c === 'number') out.push(...[cweFromNumber(c)].filter((x): x is string => x !== null));
      else if (isObj(c)) out.push(...extractCwes(str(c, 'cweId') ?? str(c, 'id') ?? ''));
    }
  }
  return out;
}
