// Trivy JSON (`trivy image|fs|config|k8s --format json`): each Result's Vulnerabilities, Misconfigurations (FAIL only),
// Secrets and Licenses. Layouts: SchemaVersion 2 (`{ArtifactName, Results: […]}`, trivy ≥ 0.20), the legacy array of
// results before it (`[{Target, Type, Vulnerabilities}]`), and the Kubernetes reports (`trivy k8s`: `{ClusterName,
// Resources: [{Namespace, Kind, Name, Results}]}`, and before 0.50 `{ClusterName, Vulnerabilities: [{…, Results}],
// Misconfigurations: [{…, Results}]}`). ArtifactName, each resource's name and each Result's Target/Type precede the
// arrays in Trivy's output, so every item streams with its context. A vulnerability's Status is kept (fixStatus), and
// `not_affected` makes the finding NOT_AFFECTED rather than NEW; the licenses of its package come from the Result's
// Packages (listed before the vulnerabilities with --list-all-pkgs), license findings from the Result's Licenses.
import type { Draft, FormatParserFactory } from '../draft.ts';
import type { Cvss } from '../../schemas/types.gen.ts';
import type { Collector, PathSegment, Scope } from '../parse/json-walk.ts';
import { isObj, num, obj, str, strs } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser } from './json-format.ts';
import { wrongFormat } from './wrong-format.ts';
import { makeCvss } from '../cvss.ts';
import { severityFromLabel } from '../severity.ts';
import { extractCwes, splitIds } from '../vuln-ids.ts';
import { makePurl } from '../purl.ts';
import { LIMITS } from '../parse/limits.ts';

const FAMILY = 'trivy';
const ROOT_KEYS = ['SchemaVersion', 'Results', 'ArtifactName', 'ClusterName', 'Resources'];

/** Where a layout's Results are, and the artifact a Result belongs to (the fingerprint's target). */
interface Layout {
  results: readonly string[];
  target: (scope: Scope, fallback: string) => string;
}

/** A Kubernetes resource: cluster/namespace/kind/name. */
const resourceTarget = (scope: Scope, fallback: string): string => {
  const cluster = str(scope[0], 'ClusterName');
  const r = scope[1] ?? {};
  const parts = [cluster, str(r, 'Namespace'), str(r, 'Kind'), str(r, 'Name')].filter((p) => p !== null);
  return parts.length > 1 ? parts.join('/') : fallback;
};

const LAYOUTS: readonly Layout[] = [
  { results: ['Results', '*'], target: (s, fallback) => str(s[0], 'ArtifactName') ?? fallback },
  { results: ['Resources', '*', 'Results', '*'], target: resourceTarget },
  { results: ['Vulnerabilities', '*', 'Results', '*'], target: resourceTarget },
  { results: ['Misconfigurations', '*', 'Results', '*'], target: resourceTarget },
];
// the legacy array: its Results are the top-level elements; Target and Type are read as they come (they precede
// the arrays), since a collected scalar is not part of the scope
const LEGACY = ['*'];

export const trivyJson: FormatParserFactory = (context, sink) => {
  const scanner =
    context.scanner.name.toLowerCase() === FAMILY
      ? context.scanner
      : { name: FAMILY, version: context.scanner.version };
  const legacy = new Map<PathSegment, { target: string; type: string }>();
  // package licenses of the Result being read (Packages precede Vulnerabilities), keyed by PkgID and name@version
  let licenses = new Map<string, string[]>();
  let licensesOf: string | null = null;
  const resultKey = (path: readonly PathSegment[], depth: number) => path.slice(0, depth).join('\u0000');
  const collectors: Collector[] = [];
  const items = (results: readonly string[], where: (scope: Scope, path: readonly PathSegment[]) => Where): void => {
    const depth = results.length;
    collectors.push(
      {
        path: [...results, 'Packages', '*'],
        onValue: (v, path) => {
          const key = resultKey(path, depth);
          if (key !== licensesOf) {
            licenses = new Map();
            licensesOf = key;
          }
          if (!isObj(v) || licenses.size >= LIMITS.findings) return;
          const names = strs(v, 'Licenses');
          if (names.length === 0) return;
          const id = str(v, 'ID');
          if (id) licenses.set(id, names);
          licenses.set(`${str(v, 'Name') ?? ''}@${str(v, 'Version') ?? ''}`, names);
        },
      },
      {
        path: [...results, 'Vulnerabilities', '*'],
        onValue: (v, path, s) => {
          if (!isObj(v)) return;
          const known = resultKey(path, depth) === licensesOf ? licenses : undefined;
          sink(vulnerability(v, where(s, path), scanner, known));
        },
      },
      {
        path: [...results, 'Misconfigurations', '*'],
        onValue: (v, path, s) => {
          if (isObj(v) && (str(v, 'Status') ?? 'FAIL') === 'FAIL') sink(misconfiguration(v, where(s, path), scanner));
        },
      },
      {
        path: [...results, 'Secrets', '*'],
        onValue: (v, path, s) => isObj(v) && sink(secret(v, where(s, path), scanner)),
      },
      {
        path: [...results, 'Licenses', '*'],
        onValue: (v, path, s) => isObj(v) && sink(license(v, where(s, path), scanner)),
      },
    );
  };
  for (const layout of LAYOUTS) {
    items(layout.results, (scope) => {
      // the Result's scalars are the innermost scope entry
      const result = scope[scope.length - 1] ?? {};
      return {
        target: layout.target(scope.slice(0, Math.max(0, scope.length - 1)), context.target),
        file: str(result, 'Target') ?? '',
        type: str(result, 'Type') ?? '',
      };
    });
  }
  items(LEGACY, (_scope, path) => {
    const r = legacy.get(path[0] ?? '') ?? { target: '', type: '' };
    return { target: context.target, file: r.target, type: r.type };
  });
  for (const field of ['Target', 'Type'] as const) {
    collectors.push({
      path: ['*', field],
      onValue: (v, path) => {
        const at = path[0] ?? '';
        if (typeof at !== 'number' || typeof v !== 'string') return;
        const r = legacy.get(at) ?? { target: '', type: '' };
        if (field === 'Target') r.target = v;
        else r.type = v;
        legacy.set(at, r);
      },
    });
  }
  return jsonFormatParser({
    format: 'trivy-json',
    treeLimit: context.jsonTreeLimit,
    collect: collectors,
    verify: (keys, rootIsArray) => {
      if (ROOT_KEYS.some((k) => keys.has(k))) return;
      // the legacy array: each element is a Result with a Target
      if (rootIsArray && legacy.size > 0) return;
      throw wrongFormat(
        'trivy-json',
        `none of the keys ${ROOT_KEYS.join(', ')} at the top level, nor an array of results`,
      );
    },
  });
};

type Where = { target: string; file: string; type: string };

function vulnerability(v: Obj, at: Where, scanner: Draft['scanner'], licenses?: ReadonlyMap<string, string[]>): Draft {
  const id = str(v, 'VulnerabilityID') ?? 'unknown';
  const name = str(v, 'PkgName') ?? 'unknown';
  const version = str(v, 'InstalledVersion') ?? '';
  const path = str(v, 'PkgPath') ?? at.file;
  const { cves, advisories } = splitIds([id]);
  const label = str(v, 'Severity');
  const status = str(v, 'Status');
  const cvss: Cvss[] = [];
  for (const [source, c] of Object.entries(obj(v, 'CVSS'))) {
    for (const [vk, sk] of [
      ['V40Vector', 'V40Score'],
      ['V3Vector', 'V3Score'],
      ['V2Vector', 'V2Score'],
    ] as const) {
      const entry = makeCvss({
        vector: str(c, vk),
        score: num(c, sk),
        version: vk === 'V2Vector' ? '2.0' : null,
        source,
      });
      if (entry) cvss.push(entry);
    }
  }
  return {
    family: FAMILY,
    ruleId: id,
    key: { kind: 'package', target: at.target, ecosystem: at.type, name, version, path },
    findingType: 'VULNERABILITY',
    title: str(v, 'Title') ?? `${id} in ${name} ${version}`,
    description: str(v, 'Description'),
    severity: severityFromLabel(label),
    scannerSeverity: label,
    confidence: 'HIGH',
    cves,
    advisories,
    cwes: strs(v, 'CweIDs').flatMap(extractCwes),
    cvss,
    asset: {},
    affectedPackage: {
      name,
      version: version || null,
      fixedVersion: str(v, 'FixedVersion'),
      purl: str(obj(v, 'PkgIdentifier'), 'PURL') ?? makePurl(at.type, name, version || null),
      path,
      ecosystem: at.type || null,
      licenses:
        licenses?.get(str(v, 'PkgID') ?? '') ??
        licenses?.get(str(obj(v, 'PkgIdentifier'), 'UID') ?? '') ??
        licenses?.get(`${name}@${version}`) ??
        [],
      fixStatus: status,
    },
    references: [str(v, 'PrimaryURL') ?? '', ...strs(v, 'References')],
    status: status === 'not_affected' ? 'NOT_AFFECTED' : 'NEW',
    scanner,
  };
}

function misconfiguration(v: Obj, at: Where, scanner: Draft['scanner']): Draft {
  const id = str(v, 'AVDID') ?? str(v, 'ID') ?? 'unknown';
  const cause = obj(v, 'CauseMetadata');
  const line = num(cause, 'StartLine');
  const label = str(v, 'Severity');
  return {
    family: FAMILY,
    ruleId: id,
    key: { kind: 'code', target: at.target, file: at.file, line },
    findingType: 'MISCONFIGURATION',
    title: str(v, 'Title') ?? id,
    description: [str(v, 'Description'), str(v, 'Message')].filter(Boolean).join('\n\n'),
    severity: severityFromLabel(label),
    scannerSeverity: label,
    confidence: 'HIGH',
    affectedCode: { file: at.file, line, endLine: num(cause, 'EndLine') },
    remediation: str(v, 'Resolution'),
    references: [str(v, 'PrimaryURL') ?? '', ...strs(v, 'References')],
    evidence: str(v, 'Message'),
    asset: {},
    scanner,
  };
}

function secret(v: Obj, at: Where, scanner: Draft['scanner']): Draft {
  const id = str(v, 'RuleID') ?? 'unknown';
  const line = num(v, 'StartLine');
  const label = str(v, 'Severity');
  return {
    family: FAMILY,
    ruleId: id,
    key: { kind: 'code', target: at.target, file: at.file, line },
    findingType: 'SECRET',
    title: str(v, 'Title') ?? id,
    description: str(v, 'Category'),
    severity: severityFromLabel(label),
    scannerSeverity: label,
    confidence: 'MEDIUM',
    cwes: ['CWE-798'],
    affectedCode: { file: at.file, line, endLine: num(v, 'EndLine') },
    // Trivy masks the secret in Match; nothing else of the secret is copied
    evidence: str(v, 'Match'),
    asset: {},
    scanner,
  };
}

/** `--scanners license`: a package (or file) under a license the policy classifies (Category, Severity). */
function license(v: Obj, at: Where, scanner: Draft['scanner']): Draft {
  const name = str(v, 'Name') ?? 'unknown';
  const pkg = str(v, 'PkgName') ?? '';
  const file = str(v, 'FilePath') ?? '';
  const label = str(v, 'Severity');
  const category = str(v, 'Category');
  return {
    family: FAMILY,
    ruleId: `license/${name}`,
    key: { kind: 'package', target: at.target, ecosystem: at.type, name: pkg, version: '', path: file || at.file },
    findingType: 'LICENSE',
    title: `${pkg || file || at.file} is licensed under ${name}${category ? ` (${category})` : ''}`,
    description: category ? `License category: ${category}` : null,
    severity: severityFromLabel(label),
    scannerSeverity: label,
    confidence: (num(v, 'Confidence') ?? 1) >= 0.9 ? 'HIGH' : 'MEDIUM',
    affectedPackage: pkg
      ? {
          name: pkg,
          version: null,
          fixedVersion: null,
          purl: null,
          path: file || at.file || null,
          ecosystem: at.type || null,
          licenses: [name],
        }
      : null,
    affectedCode: !pkg && file ? { file, line: null, endLine: null } : null,
    references: [str(v, 'Link') ?? ''],
    asset: {},
    scanner,
  };
}
