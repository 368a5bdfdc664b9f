// Findings → DefectDojo's Generic Findings Import (JSON): {"name", "type", "version", "description", "findings": […]}.
// Only the keys DefectDojo's generic JSON parser has accepted for years (an unknown key makes the whole import
// fail), so the file imports into older DefectDojo releases too: the fingerprint is unique_id_from_tool (set the
// test type's deduplication to it, docs/exports.md), the rule is vuln_id_from_tool, CVE and advisory ids are
// vulnerability_ids, the first CWE is cwe, a CVSS 3 vector is cvssv3, hosts and URLs are endpoints (dicts, so an IPv6
// host needs no brackets), packages and code are component_name/version and file_path/line.
import type { Finding, Severity } from '../../schemas/types.gen.ts';
import type { ExportContext } from './context.ts';

const SEVERITY: Readonly<Record<Severity, string>> = {
  INFO: 'Info',
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  CRITICAL: 'Critical',
};

type Json = Record<string, unknown>;

/** DefectDojo's Endpoint fields; a path is stored without its leading slash. */
function endpoint(f: Finding): Json | undefined {
  const a = f.asset;
  if (a.url && URL.canParse(a.url)) {
    const url = new URL(a.url);
    const port = url.port ? Number(url.port) : undefined;
    return compactJson({
      protocol: url.protocol.replace(/:$/, ''),
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      path: url.pathname.replace(/^\/+/, '') || undefined,
      query: url.search.replace(/^\?/, '') || undefined,
    });
  }
  const host = a.ip ?? a.hostname;
  if (!host) return undefined;
  return compactJson({
    protocol: a.port !== null ? (a.protocol ?? 'tcp').toLowerCase() : undefined,
    host,
    port: a.port ?? undefined,
  });
}

function compactJson(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

function description(f: Finding): string {
  const a = f.asset;
  const where = [
    a.hostname && `host ${a.hostname}`,
    a.ip && `address ${a.ip}`,
    a.port !== null && `port ${a.port}/${(a.protocol ?? 'tcp').toLowerCase()}`,
    a.service && `service ${[a.service, a.product, a.version].filter(Boolean).join(' ')}`,
    a.url && `URL ${a.url}`,
  ].filter(Boolean);
  return [
    f.description ?? f.title,
    where.length > 0 ? `**Asset:** ${where.join(', ')}` : '',
    f.evidence ? `**Evidence:**\n\n\`\`\`\n${f.evidence.replaceAll('```', '`\u200b``')}\n\`\`\`` : '',
    `**Scanner:** ${f.scanner.name}${f.scanner.version ? ` ${f.scanner.version}` : ''}${f.ruleId ? `, rule ${f.ruleId}` : ''}${f.scannerSeverity ? `, its severity ${f.scannerSeverity}` : ''}`,
    f.cwes.length > 1 ? `**CWE:** ${f.cwes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function toDojoFinding(f: Finding): Json {
  const cvss3 = f.cvss.find((c) => c.vector && /^CVSS:3\.[01]\//.test(c.vector));
  const cwe = f.cwes.map((c) => Number(/^CWE-(\d+)$/i.exec(c)?.[1])).find((n) => Number.isSafeInteger(n));
  const ids = [...f.cves, ...f.advisories];
  const network = f.affectedPackage === null && f.affectedCode === null;
  const ep = network ? endpoint(f) : undefined;
  return compactJson({
    title: f.title,
    description: description(f),
    severity: SEVERITY[f.severity],
    date: new Date(f.lastSeen).toISOString().slice(0, 10),
    mitigation: f.remediation ?? undefined,
    references: f.references.join('\n') || undefined,
    unique_id_from_tool: f.fingerprint,
    vuln_id_from_tool: f.ruleId ?? undefined,
    // `cve` and `vulnerability_ids` together nest a list inside the list in DefectDojo's parser: ids only here.
    vulnerability_ids: ids.length > 0 ? ids : undefined,
    cwe,
    cvssv3: cvss3?.vector ?? undefined,
    cvssv3_score: cvss3?.baseScore ?? undefined,
    component_name: f.affectedPackage?.name,
    component_version: f.affectedPackage?.version ?? undefined,
    file_path: f.affectedCode?.file ?? f.affectedPackage?.path ?? undefined,
    line: f.affectedCode?.line && f.affectedCode.line > 0 ? f.affectedCode.line : undefined,
    static_finding: !network,
    dynamic_finding: network,
    active: f.status !== 'RESOLVED' && f.status !== 'SUPPRESSED' && f.status !== 'NOT_AFFECTED',
    nb_occurences: f.occurrences,
    endpoints: ep ? [ep] : undefined,
    tags: [f.scanner.name, f.findingType.toLowerCase()],
  });
}

/** The import file, a finding at a time. */
export function* dojoChunks(findings: readonly Finding[], context: ExportContext): Generator<string> {
  const head = {
    name: `asmvs ${context.subject}`,
    type: 'asmvs',
    version: context.version,
    description: `asmvs ${context.arguments.join(' ')}${context.complete ? '' : ' (interrupted: the findings seen so far)'}`,
    static_tool: findings.some((f) => f.affectedPackage !== null || f.affectedCode !== null),
    dynamic_tool: findings.some((f) => f.affectedPackage === null && f.affectedCode === null),
  };
  yield `${JSON.stringify(head).slice(0, -1)},"findings":[`;
  for (const [i, f] of findings.entries()) yield `${i > 0 ? ',' : ''}\n${JSON.stringify(toDojoFinding(f))}`;
  yield '\n]}\n';
}
