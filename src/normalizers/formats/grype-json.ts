// Grype JSON (`grype <target> -o json`). Grype writes `matches` before `source` and `descriptor`, and the image or
// directory named in `source` is part of each fingerprint, so each match is mapped at once to its draft (a fraction
// of the match's size), the drafts are held (at most the finding cap) and get their target when the document ends.
// One finding per (vulnerability id, package, version, location).
import type { Draft, FormatParserFactory } from '../draft.ts';
import type { Cvss } from '../../schemas/types.gen.ts';
import { isObj, num, obj, objs, str, strs } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser, requireRootKeys } from './json-format.ts';
import { makeCvss } from '../cvss.ts';
import { severityFromLabel } from '../severity.ts';
import { extractCwes, splitIds } from '../vuln-ids.ts';
import { makePurl } from '../purl.ts';
import { LIMITS, reportTooLarge } from '../parse/limits.ts';

const FAMILY = 'grype';

export const grypeJson: FormatParserFactory = (context, sink) => {
  const drafts: Draft[] = [];
  let source: Obj = {};
  let descriptor: Obj = {};
  return jsonFormatParser({
    format: 'grype-json',
    treeLimit: context.jsonTreeLimit,
    collect: [
      {
        path: ['matches', '*'],
        onValue: (v) => {
          if (!isObj(v)) return;
          if (drafts.length >= LIMITS.findings)
            throw reportTooLarge(`the grype report has more than ${LIMITS.findings} matches`);
          drafts.push(match(v));
        },
      },
      { path: ['source'], onValue: (v) => (source = isObj(v) ? v : {}) },
      { path: ['descriptor'], onValue: (v) => (descriptor = isObj(v) ? v : {}) },
    ],
    verify: (keys) => requireRootKeys('grype-json', keys, ['matches']),
    onEnd: () => {
      const t = obj(source, 'target');
      const target = str(t, 'userInput') ?? str(source, 'target') ?? str(t, 'path') ?? context.target;
      const scanner = { name: FAMILY, version: str(descriptor, 'version') ?? context.scanner.version };
      for (const d of drafts) {
        if (d.key.kind === 'package') d.key.target = target;
        d.scanner = scanner;
        sink(d);
      }
    },
  });
};

/** The draft of one match; its target and scanner are set once `source` and `descriptor` have been read. */
function match(m: Obj): Draft {
  const vuln = obj(m, 'vulnerability');
  const artifact = obj(m, 'artifact');
  const id = str(vuln, 'id') ?? 'unknown';
  const related = objs(m, 'relatedVulnerabilities');
  const { cves, advisories } = splitIds([id, ...related.map((r) => str(r, 'id') ?? '')]);
  const name = str(artifact, 'name') ?? 'unknown';
  const version = str(artifact, 'version') ?? '';
  const type = str(artifact, 'type') ?? '';
  const path = str(objs(artifact, 'locations')[0], 'path') ?? '';
  const cvss: Cvss[] = [];
  for (const v of [vuln, ...related]) {
    for (const c of objs(v, 'cvss')) {
      const entry = makeCvss({
        vector: str(c, 'vector'),
        score: num(obj(c, 'metrics'), 'baseScore'),
        version: str(c, 'version'),
        source: str(c, 'source'),
      });
      if (entry) cvss.push(entry);
    }
  }
  const epss = objs(vuln, 'epss')[0];
  const label = str(vuln, 'severity');
  const fix = obj(vuln, 'fix');
  // how grype matched: its matcher (apk-matcher, javascript-matcher, stock-matcher …) and the match type; a CPE
  // match is grype's least certain kind (a product name guessed from files), so it lowers the confidence
  const details = objs(m, 'matchDetails');
  const matchedBy = details
    .map((d) => [str(d, 'matcher'), str(d, 'type')].filter((x) => x !== null).join(' '))
    .filter((x) => x !== '');
  const cpeOnly = details.length > 0 && details.every((d) => str(d, 'type') === 'cpe-match');
  return {
    family: FAMILY,
    ruleId: id,
    key: { kind: 'package', target: '', ecosystem: type, name, version, path },
    findingType: 'VULNERABILITY',
    title: `${id} in ${name} ${version}`.trim(),
    description: str(vuln, 'description') ?? str(related[0], 'description'),
    severity: severityFromLabel(label),
    scannerSeverity: label,
    confidence: cpeOnly ? 'MEDIUM' : 'HIGH',
    matchedBy: matchedBy.length > 0 ? [...new Set(matchedBy)].join(', ') : null,
    cves,
    advisories,
    cwes: [vuln, ...related].flatMap((v) => strs(v, 'cwes').flatMap(extractCwes)),
    cvss,
    epss:
      epss && num(epss, 'epss') !== null
        ? { score: num(epss, 'epss') ?? 0, percentile: num(epss, 'percentile') }
        : null,
    asset: {},
    affectedPackage: {
      name,
      version: version || null,
      fixedVersion: strs(fix, 'versions')[0] ?? null,
      purl: str(artifact, 'purl') ?? makePurl(type, name, version || null),
      path: path || null,
      ecosystem: type || null,
      licenses: strs(artifact, 'licenses').concat(objs(artifact, 'licenses').map((l) => str(l, 'value') ?? '')),
      fixStatus: str(fix, 'state'),
    },
    remediation: strs(fix, 'versions').length > 0 ? `Upgrade ${name} to ${strs(fix, 'versions').join(' or ')}` : null,
    references: [str(vuln, 'dataSource') ?? '', ...strs(vuln, 'urls')],
    scanner: { name: FAMILY, version: null },
  };
}
