// SARIF 2.1.0 (CodeQL, Semgrep, Trivy/Grype/osv-scanner --format sarif, …). One finding per result and location
// (file + start line). The rule metadata comes from runs[].tool.driver.rules, which tools write before results.
// Severity: the rule's `security-severity` CVSS-like score when present (GitHub's convention), else the level.
import type { Draft, FormatParserFactory, ParseContext } from '../draft.ts';
import type { Severity } from '../../schemas/types.gen.ts';
import { isObj, num, obj, objs, str, strs } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser } from './json-format.ts';
import { wrongFormat } from './wrong-format.ts';
import { severityFromScore } from '../severity.ts';
import { extractCves, extractCwes, extractGhsas } from '../ids.ts';

const LEVEL: Readonly<Record<string, Severity>> = { error: 'HIGH', warning: 'MEDIUM', note: 'LOW', none: 'INFO' };

export const sarif: FormatParserFactory = (context, sink) => {
  let tool: Obj = {};
  let rules: Obj[] = [];
  let byId = new Map<string, Obj>();
  return jsonFormatParser({
    format: 'sarif',
    treeLimit: context.jsonTreeLimit,
    collect: [
      {
        path: ['runs', '*', 'tool'],
        onValue: (v) => {
          tool = isObj(v) ? obj(v, 'driver') : {};
          rules = objs(tool, 'rules');
          byId = new Map(rules.map((r) => [str(r, 'id') ?? '', r]));
        },
      },
      {
        path: ['runs', '*', 'results', '*'],
        onValue: (v) => {
          if (!isObj(v)) return;
          const index = num(v, 'ruleIndex');
          const rule = (index !== null ? rules[index] : undefined) ?? byId.get(str(v, 'ruleId') ?? '') ?? {};
          for (const d of resultDrafts(v, rule, tool, context)) sink(d);
        },
      },
    ],
    verify: (keys) => {
      if (!keys.has('runs')) throw wrongFormat('sarif', 'no runs');
    },
  });
};

function resultDrafts(r: Obj, rule: Obj, tool: Obj, context: ParseContext): Draft[] {
  const family = (str(tool, 'name') ?? 'sarif').toLowerCase();
  const ruleId = str(r, 'ruleId') ?? str(rule, 'id') ?? 'unknown';
  const props = obj(rule, 'properties');
  const score = num(props, 'security-severity');
  const level = str(r, 'level') ?? str(obj(rule, 'defaultConfiguration'), 'level') ?? 'warning';
  const severity = score !== null ? severityFromScore(score) : (LEVEL[level] ?? 'MEDIUM');
  const tags = strs(props, 'tags');
  const text = [ruleId, ...tags, str(obj(rule, 'shortDescription'), 'text') ?? ''].join(' ');
  const message = str(obj(r, 'message'), 'text');
  const locations = objs(r, 'locations').map((l) => obj(l, 'physicalLocation'));
  const places = locations.length > 0 ? locations : [{}];
  return places.map((loc) => {
    const file = str(obj(loc, 'artifactLocation'), 'uri') ?? '';
    const region = obj(loc, 'region');
    const line = num(region, 'startLine');
    return {
      family,
      ruleId,
      key: { kind: 'code', target: context.target, file, line },
      findingType: extractCves(text).length > 0 ? 'VULNERABILITY' : 'MISCONFIGURATION',
      title: str(obj(rule, 'shortDescription'), 'text') ?? str(rule, 'name') ?? message ?? ruleId,
      description: [message, str(obj(rule, 'fullDescription'), 'text')].filter(Boolean).join('\n\n'),
      severity,
      scannerSeverity: score !== null ? `${level} (security-severity ${score})` : level,
      confidence: precision(str(props, 'precision')),
      cves: extractCves(text),
      advisories: extractGhsas(text),
      cwes: extractCwes(tags.join(' ')),
      affectedCode: file ? { file, line, endLine: num(region, 'endLine') } : null,
      remediation: str(obj(rule, 'help'), 'text'),
      references: [str(rule, 'helpUri') ?? ''],
      evidence: str(obj(region, 'snippet'), 'text'),
      asset: {},
      scanner: { name: str(tool, 'name') ?? 'sarif', version: str(tool, 'semanticVersion') ?? str(tool, 'version') },
    } satisfies Draft;
  });
}

function precision(p: string | null): Draft['confidence'] {
  switch (p) {
    case 'very-high':
    case 'high':
      return 'HIGH';
    case 'medium':
      return 'MEDIUM';
    case 'low':
      return 'LOW';
    default:
      return 'UNKNOWN';
  }
}
