// Trivy JSON (`trivy image|fs|config --format json`, SchemaVersion 2): Results[].Vulnerabilities, .Misconfigurations
// (FAIL only) and .Secrets. ArtifactName and each Result's Target/Type precede the arrays in Trivy's output, so
// every item streams with its context.
import type { Draft, FormatParserFactory } from '../draft.ts';
import type { Cvss } from '../../schemas/types.gen.ts';
import type { Scope } from '../parse/json-walk.ts';
import { num, obj, str, strs } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser, requireRootKeys } from './json-format.ts';
import { makeCvss } from '../cvss.ts';
import { severityFromLabel } from '../severity.ts';
import { extractCwes, splitIds } from '../ids.ts';
import { makePurl } from '../purl.ts';

const FAMILY = 'trivy';

export const trivyJson: FormatParserFactory = (context, sink) => {
  const scanner =
    context.scanner.name.toLowerCase() === FAMILY
      ? context.scanner
      : { name: FAMILY, version: context.scanner.version };
  const where = (scope: Scope) => {
    const root = scope[0] ?? {};
    const result = scope[1] ?? {};
    return {
      target: str(root, 'ArtifactName') ?? context.target,
      file: str(result, 'Target') ?? '',
      type: str(result, 'Type') ?? '',
    };
  };
  return jsonFormatParser({
    format: 'trivy-json',
    treeLimit: context.jsonTreeLimit,
    collect: [
      {
        path: ['Results', '*', 'Vulnerabilities', '*'],
        onValue: (v, _p, s) => sink(vulnerability(v as Obj, where(s), scanner)),
      },
      {
        path: ['Results', '*', 'Misconfigurations', '*'],
        onValue: (v, _p, s) => {
          if ((str(v, 'Status') ?? 'FAIL') === 'FAIL') sink(misconfiguration(v as Obj, where(s), scanner));
        },
      },
      { path: ['Results', '*', 'Secrets', '*'], onValue: (v, _p, s) => sink(secret(v as Obj, where(s), scanner)) },
    ],
    verify: (keys) => requireRootKeys('trivy-json', keys, ['SchemaVersion', 'Results', 'ArtifactName']),
  });
};

type Where = { target: string; file: string; type: string };

function vulnerability(v: Obj, at: Where, scanner: Draft['scanner']): Draft {
  const id = str(v, 'VulnerabilityID') ?? 'unknown';
  const name = str(v, 'PkgName') ?? 'unknown';
  const version = str(v, 'InstalledVersion') ?? '';
  const path = str(v, 'PkgPath') ?? at.file;
  const { cves, advisories } = splitIds([id]);
  const label = str(v, 'Severity');
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
    },
    references: [str(v, 'PrimaryURL') ?? '', ...strs(v, 'References')],
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
