// SARIF 2.1.0 (CodeQL, Semgrep, Trivy/Grype/osv-scanner --format sarif, …). One finding per result and location.
// Rule metadata comes from the rule the result names (ruleIndex, rule.index with its toolComponent, or ruleId) among
// runs[].tool.driver.rules and .extensions[].rules, which tools write before results.
// Identity (SARIF §3.27.16–17): a tool's `fingerprints`, else its `partialFingerprints`, identify a result wherever
// its line moves; without them, file, line and start column do (two results of one rule on one line stay two).
// `kind` pass and notApplicable are not findings; a result with an accepted suppression is SUPPRESSED.
// Severity: `security-severity` (GitHub's convention, on the result or its rule) when present, else the level.
// CWEs: from the rule's and the result's properties (tags like "CWE-79: …" or "external/cwe/cwe-079", or `cwe`).
import type { Draft, FormatParserFactory, ParseContext } from '../draft.ts';
import type { Severity } from '../../schemas/types.gen.ts';
import { arr, isObj, num, obj, objs, str, strs } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser } from './json-format.ts';
import { wrongFormat } from './wrong-format.ts';
import { severityFromScore } from '../severity.ts';
import { extractCves, extractCwes, extractGhsas } from '../vuln-ids.ts';

const LEVEL: Readonly<Record<string, Severity>> = { error: 'HIGH', warning: 'MEDIUM', note: 'LOW', none: 'INFO' };
const NOT_FINDINGS = new Set(['pass', 'notApplicable']);

interface Tool {
  driver: Obj;
  components: Obj[][];
  byId: Map<string, Obj>;
}

export const sarif: FormatParserFactory = (context, sink) => {
  let tool: Tool = { driver: {}, components: [[]], byId: new Map() };
  return jsonFormatParser({
    format: 'sarif',
    treeLimit: context.jsonTreeLimit,
    collect: [
      {
        path: ['runs', '*', 'tool'],
        onValue: (v) => {
          const driver = isObj(v) ? obj(v, 'driver') : {};
          const extensions = objs(v, 'extensions');
          const components = [objs(driver, 'rules'), ...extensions.map((e) => objs(e, 'rules'))];
          const byId = new Map<string, Obj>();
          for (const rules of components)
            for (const r of rules) if (!byId.has(str(r, 'id') ?? '')) byId.set(str(r, 'id') ?? '', r);
          tool = { driver, components, byId };
        },
      },
      {
        path: ['runs', '*', 'results', '*'],
        onValue: (v) => {
          if (!isObj(v) || NOT_FINDINGS.has(str(v, 'kind') ?? 'fail')) return;
          for (const d of resultDrafts(v, ruleOf(v, tool), tool.driver, context)) sink(d);
        },
      },
    ],
    verify: (keys) => {
      if (!keys.has('runs')) throw wrongFormat('sarif', 'no runs');
    },
  });
};

function ruleOf(r: Obj, tool: Tool): Obj {
  const ref = obj(r, 'rule');
  const index = num(r, 'ruleIndex') ?? num(ref, 'index');
  const component = num(obj(ref, 'toolComponent'), 'index');
  const rules = tool.components[component === null ? 0 : component + 1] ?? [];
  const byIndex = index !== null ? rules[index] : undefined;
  return byIndex ?? tool.byId.get(str(r, 'ruleId') ?? str(ref, 'id') ?? '') ?? {};
}

function resultDrafts(r: Obj, rule: Obj, driver: Obj, context: ParseContext): Draft[] {
  const family = (str(driver, 'name') ?? 'sarif').toLowerCase();
  const ruleId = str(r, 'ruleId') ?? str(obj(r, 'rule'), 'id') ?? str(rule, 'id') ?? 'unknown';
  const props = obj(rule, 'properties');
  const resultProps = obj(r, 'properties');
  const score = num(resultProps, 'security-severity') ?? num(props, 'security-severity');
  const level = str(r, 'level') ?? str(obj(rule, 'defaultConfiguration'), 'level') ?? 'warning';
  const severity = score !== null ? severityFromScore(score) : (LEVEL[level] ?? 'MEDIUM');
  const tags = [...strs(props, 'tags'), ...strs(resultProps, 'tags')];
  const text = [ruleId, ...tags, str(obj(rule, 'shortDescription'), 'text') ?? ''].join(' ');
  const message = str(obj(r, 'message'), 'text');
  const identity = identityOf(r);
  const suppressed = objs(r, 'suppressions').some((s) => (str(s, 'status') ?? 'accepted') === 'accepted');
  const locations = objs(r, 'locations').map((l) => obj(l, 'physicalLocation'));
  const places = locations.length > 0 ? locations : [{}];
  return places.map((loc, i) => {
    const file = str(obj(loc, 'artifactLocation'), 'uri') ?? '';
    const region = obj(loc, 'region');
    const line = num(region, 'startLine');
    const column = num(region, 'startColumn');
    // the tool's fingerprint names the result; each further location of it is its own place
    const variant =
      identity !== null ? `${identity}${i > 0 ? `@${i}` : ''}` : column !== null ? `column ${column}` : null;
    return {
      family,
      ruleId,
      key: { kind: 'code', target: context.target, file, line: identity !== null ? null : line },
      variant,
      findingType: extractCves(text).length > 0 ? 'VULNERABILITY' : 'MISCONFIGURATION',
      title: str(obj(rule, 'shortDescription'), 'text') ?? str(rule, 'name') ?? message ?? ruleId,
      description: [message, str(obj(rule, 'fullDescription'), 'text')].filter(Boolean).join('\n\n'),
      severity,
      scannerSeverity: score !== null ? `${level} (security-severity ${score})` : level,
      confidence: precision(str(props, 'precision')),
      cves: extractCves(text),
      advisories: extractGhsas(text),
      cwes: [...tags, ...cweProperty(props), ...cweProperty(resultProps)].flatMap(cwesIn),
      affectedCode: file ? { file, line, endLine: num(region, 'endLine') } : null,
      remediation: str(obj(rule, 'help'), 'text'),
      references: [str(rule, 'helpUri') ?? ''],
      evidence: str(obj(region, 'snippet'), 'text'),
      status: suppressed ? 'SUPPRESSED' : 'NEW',
      asset: {},
      scanner: {
        name: str(driver, 'name') ?? 'sarif',
        version: str(driver, 'semanticVersion') ?? str(driver, 'version'),
      },
    } satisfies Draft;
  });
}

/** The tool's own identity of a result: fingerprints, else partialFingerprints, as sorted key=value pairs. */
function identityOf(r: Obj): string | null {
  for (const field of ['fingerprints', 'partialFingerprints']) {
    const f = obj(r, field);
    const pairs = Object.keys(f)
      .filter((k) => typeof f[k] === 'string' && f[k] !== '')
      .sort()
      .map((k) => `${k}=${String(f[k])}`);
    if (pairs.length > 0) return `${field}:${pairs.join(',')}`;
  }
  return null;
}

function cweProperty(props: Obj): string[] {
  const out: string[] = [];
  for (const key of ['cwe', 'cwes', 'CWE']) {
    const v = props[key];
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else for (const x of arr(props, key)) if (typeof x === 'string' || typeof x === 'number') out.push(String(x));
  }
  return out;
}

/** "CWE-79: …", "external/cwe/cwe-079" (CodeQL), "79" (a bare number in a cwe property). */
function cwesIn(text: string): string[] {
  if (/^\d+$/.test(text.trim())) return [`CWE-${Number(text.trim())}`];
  const codeql = /(?:^|\/)cwe\/cwe-0*(\d+)$/i.exec(text.trim());
  if (codeql) return [`CWE-${Number(codeql[1])}`];
  return extractCwes(text);
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
