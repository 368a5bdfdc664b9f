// osv-scanner JSON (`osv-scanner --format json`): results[].source (the lockfile or SBOM) and
// results[].packages[] each with its vulnerabilities and groups. One finding per (OSV id, package, version, source
// path). Severity: the advisory database's label when present, else the group's max_severity score.
// CVSS vectors are kept as given; osv-scanner prints no base score, and we do not compute one.
import type { Draft, FormatParserFactory } from '../draft.ts';
import type { Cvss } from '../../schemas/types.gen.ts';
import { arr, isObj, num, obj, objs, str, strs } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser, requireRootKeys } from './json-format.ts';
import { makeCvss } from '../cvss.ts';
import { severityFromLabel, severityFromScore } from '../severity.ts';
import { extractCwes, splitIds } from '../ids.ts';
import { makePurl } from '../purl.ts';

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
    const groupScore = num(group, 'max_severity');
    const cvss: Cvss[] = objs(v, 'severity')
      .map((s) => makeCvss({ vector: str(s, 'score'), source: str(s, 'type') }))
      .filter((c): c is Cvss => c !== null);
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
      cwes: strs(db, 'cwe_ids').flatMap(extractCwes),
      cvss,
      affectedPackage: {
        name,
        version: version || null,
        fixedVersion: fixedVersion(v, name),
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

/** The first `fixed` event of the affected range for this package. */
function fixedVersion(v: Obj, name: string): string | null {
  for (const a of objs(v, 'affected')) {
    const pn = str(obj(a, 'package'), 'name');
    if (pn !== null && pn !== name) continue;
    for (const r of objs(a, 'ranges')) for (const e of arr(r, 'events')) if (str(e, 'fixed')) return str(e, 'fixed');
  }
  return null;
}
