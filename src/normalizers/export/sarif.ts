// Findings → one SARIF 2.1.0 log, one run per scanner, valid against the OASIS schema and clean under GitHub code
// scanning's ingestion rules (every rule with a short and full description and help; one invocation saying whether
// the run finished; locations that are URIs). The fingerprint goes into partialFingerprints so that code-scanning
// tools de-duplicate exactly as we do; non-code assets (host:port, URLs) become artifact URIs. The conversion says
// that asmvs wrote the log from each scanner's report.
import type { Finding, Severity } from '../../schemas/types.gen.ts';
import type { ExportContext } from './context.ts';
import { pathUri, serviceUri, urlUri } from './uri.ts';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Readonly<Record<Severity, 'note' | 'warning' | 'error'>> = {
  INFO: 'note',
  LOW: 'note',
  MEDIUM: 'warning',
  HIGH: 'error',
  CRITICAL: 'error',
};
// GitHub's security-severity bands, so severities survive the round trip
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  INFO: '0.0',
  LOW: '2.0',
  MEDIUM: '5.0',
  HIGH: '7.5',
  CRITICAL: '9.5',
};
const PRECISION: Readonly<Record<Finding['confidence'], string | undefined>> = {
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  UNKNOWN: undefined,
};
/** The scanners' own pages, for tool.driver.informationUri (the scanner's, never ours). */
const INFORMATION_URI: Readonly<Record<string, string>> = {
  trivy: 'https://github.com/aquasecurity/trivy',
  grype: 'https://github.com/anchore/grype',
  nuclei: 'https://github.com/projectdiscovery/nuclei',
  nmap: 'https://nmap.org/',
  zap: 'https://www.zaproxy.org/',
  openvas: 'https://www.openvas.org/',
  'osv-scanner': 'https://github.com/google/osv-scanner',
};

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Record<string, unknown>[];
}

type Json = Record<string, unknown>;

/** One rule per rule id of a scanner, described by what its findings share. */
function ruleOf(id: string, findings: readonly Finding[]): Json {
  const first = findings[0]!;
  const short = shared(findings.map((f) => f.title)) ?? commonPrefix(findings.map((f) => f.title)) ?? id;
  const full = shared(findings.map((f) => f.description ?? '')) || short;
  const remediation = shared(findings.map((f) => f.remediation ?? ''));
  const references = [...new Set(findings.flatMap((f) => f.references))].slice(0, 10);
  const advice = remediation || `${first.scanner.name} gives no remediation for this rule; see each result's message.`;
  const severity = findings.reduce((max, f) => (f.severityId > max.severityId ? f : max), first);
  const precision = PRECISION[first.confidence];
  return {
    id,
    shortDescription: { text: clip(short, 1024) },
    fullDescription: { text: clip(full, 4096) },
    ...(references[0] && urlUri(references[0]) ? { helpUri: urlUri(references[0]) } : {}),
    help: {
      text: [advice, ...references].join('\n'),
      markdown: [advice, ...references.map((r) => `- ${r}`)].join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[severity.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[severity.severity],
      ...(precision ? { precision } : {}),
      tags: [
        'security',
        first.findingType.toLowerCase(),
        ...new Set(findings.flatMap((f) => f.cwes.map((c) => `external/cwe/${c.toLowerCase()}`))),
      ],
    },
  };
}

function shared(texts: readonly string[]): string | undefined {
  return texts.every((t) => t === texts[0]) ? texts[0] : undefined;
}

/** What differing titles of one rule share ("Open port 22/tcp: ssh", "Open port 80/tcp: http" → "Open port"). */
function commonPrefix(texts: readonly string[]): string | undefined {
  let prefix = texts[0] ?? '';
  for (const t of texts) while (!t.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const words = prefix.slice(0, prefix.lastIndexOf(' ') + 1).replace(/[\s:,(-]+$/, '');
  return words.length >= 4 ? words : undefined;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function location(f: Finding): Json {
  if (f.affectedCode) {
    const { file, line, endLine } = f.affectedCode;
    const region =
      line !== null && line > 0
        ? { region: { startLine: line, ...(endLine !== null && endLine >= line ? { endLine } : {}) } }
        : {};
    return { physicalLocation: { artifactLocation: { uri: pathUri(file) }, ...region } };
  }
  const pkg = f.affectedPackage;
  if (pkg) {
    // The manifest or file the package was found in; an image's OS packages have only the image's name (with
    // spaces, not a path): their purl names them.
    const file = pkg.path && !/\s/.test(pkg.path) ? pkg.path : undefined;
    const uri = file ? pathUri(file) : (urlUri(pkg.purl ?? '') ?? pathUri(pkg.name));
    return { physicalLocation: { artifactLocation: { uri }, ...(file ? { region: { startLine: 1 } } : {}) } };
  }
  const a = f.asset;
  const uri = (a.url && urlUri(a.url)) ?? serviceUri(a.protocol, a.ip ?? a.hostname ?? 'unknown', a.port);
  return { physicalLocation: { artifactLocation: { uri } } };
}

function result(f: Finding, ruleIndex: number): Json {
  return {
    ruleId: f.ruleId ?? f.fingerprint,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.description ? `${f.title}\n\n${f.description}` : f.title },
    locations: [location(f)],
    partialFingerprints: { 'asmvs/v1': f.fingerprint },
    occurrenceCount: f.occurrences,
    ...(f.status === 'SUPPRESSED' ? { suppressions: [{ kind: 'external', status: 'accepted' }] } : {}),
    properties: {
      severity: f.severity,
      ...(f.scannerSeverity !== null ? { scannerSeverity: f.scannerSeverity } : {}),
      findingType: f.findingType,
      status: f.status,
      cves: f.cves,
      advisories: f.advisories,
      ...(f.cvss.length > 0 ? { cvss: f.cvss } : {}),
      asset: f.asset,
      ...(f.affectedPackage ? { package: f.affectedPackage } : {}),
      ...(f.evidence !== null ? { evidence: f.evidence } : {}),
    },
  };
}

interface Run {
  /** The run without its results. */
  readonly head: Json;
  readonly findings: readonly Finding[];
  readonly ruleIndex: ReadonlyMap<string, number>;
}

function runsOf(findings: readonly Finding[], context: ExportContext): Run[] {
  const byScanner = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byScanner.get(f.scanner.name);
    if (list) list.push(f);
    else byScanner.set(f.scanner.name, [f]);
  }
  const invocation = {
    executionSuccessful: context.complete,
    commandLine: ['asmvs', ...context.arguments].map(shellWord).join(' '),
    arguments: [...context.arguments],
    startTimeUtc: new Date(context.startedAt).toISOString(),
    endTimeUtc: new Date(Math.max(context.finishedAt, context.startedAt)).toISOString(),
  };
  return [...byScanner.entries()].map(([name, list]) => {
    const byRule = new Map<string, Finding[]>();
    for (const f of list) {
      const id = f.ruleId ?? f.fingerprint;
      const rule = byRule.get(id);
      if (rule) rule.push(f);
      else byRule.set(id, [f]);
    }
    const version = list.find((f) => f.scanner.version)?.scanner.version;
    const head = {
      tool: {
        driver: {
          name,
          ...(version ? { version } : {}),
          ...(INFORMATION_URI[name] ? { informationUri: INFORMATION_URI[name] } : {}),
          rules: [...byRule.entries()].map(([id, rule]) => ruleOf(id, rule)),
        },
      },
      conversion: { tool: { driver: { name: 'asmvs', version: context.version } }, invocation },
      invocations: [invocation],
      properties: { subject: context.subject },
    };
    return { head, findings: list, ruleIndex: new Map([...byRule.keys()].map((id, i) => [id, i])) };
  });
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function toSarif(findings: readonly Finding[], context: ExportContext): SarifLog {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: runsOf(findings, context).map((run) => ({
      ...run.head,
      results: run.findings.map((f) => result(f, run.ruleIndex.get(f.ruleId ?? f.fingerprint)!)),
    })),
  };
}

/** The same log as toSarif, written a result at a time (one result per line). */
export function* sarifChunks(findings: readonly Finding[], context: ExportContext): Generator<string> {
  yield `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":"2.1.0","runs":[`;
  for (const [i, run] of runsOf(findings, context).entries()) {
    yield `${i > 0 ? ',' : ''}\n${JSON.stringify(run.head).slice(0, -1)},"results":[`;
    for (const [j, f] of run.findings.entries())
      yield `${j > 0 ? ',' : ''}\n${JSON.stringify(result(f, run.ruleIndex.get(f.ruleId ?? f.fingerprint)!))}`;
    yield '\n]}';
  }
  yield '\n]}\n';
}
