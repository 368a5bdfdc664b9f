// Findings → OCSF Vulnerability Finding (class_uid 2002, OCSF 1.1), one event object per finding.
// Not validated against the OCSF schema files here; field names follow the 1.1 class and object pages.
import type { Finding } from '../../schemas/types.gen.ts';
import type { ExportContext } from './context.ts';

export interface OcsfVulnerabilityFinding {
  class_uid: 2002;
  class_name: 'Vulnerability Finding';
  category_uid: 2;
  category_name: 'Findings';
  activity_id: number;
  activity_name: string;
  type_uid: number;
  time: number;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  confidence_id: number;
  confidence: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; version: string | null };
    uid: string;
    processed_time: number;
  };
  finding_info: {
    uid: string;
    title: string;
    desc: string | null;
    types: string[];
    first_seen_time: number;
    last_seen_time: number;
    src_url?: string;
  };
  vulnerabilities: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  unmapped: Record<string, unknown>;
}

const SEVERITY_NAME = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'];
const STATUS: Readonly<Record<Finding['status'], [number, string]>> = {
  NEW: [1, 'New'],
  OPEN: [2, 'In Progress'],
  RESOLVED: [4, 'Resolved'],
  SUPPRESSED: [3, 'Suppressed'],
  NOT_AFFECTED: [99, 'Not Affected'],
};
const CONFIDENCE: Readonly<Record<Finding['confidence'], [number, string]>> = {
  UNKNOWN: [0, 'Unknown'],
  LOW: [1, 'Low'],
  MEDIUM: [2, 'Medium'],
  HIGH: [3, 'High'],
};

export function toOcsf(f: Finding): OcsfVulnerabilityFinding {
  const [statusId, status] = STATUS[f.status];
  const [confidenceId, confidence] = CONFIDENCE[f.confidence];
  const activity = f.status === 'RESOLVED' ? 3 : 1;
  const pkg = f.affectedPackage;
  const common = {
    title: f.title,
    desc: f.description ?? undefined,
    severity: SEVERITY_NAME[f.severityId],
    references: f.references.length > 0 ? f.references : undefined,
    remediation: f.remediation ? { desc: f.remediation } : undefined,
    vendor_name: f.scanner.name,
    cwe: f.cwes[0] ? { uid: f.cwes[0].replace(/^CWE-/, '') } : undefined,
    affected_packages: pkg
      ? [
          {
            name: pkg.name,
            version: pkg.version ?? '',
            fixed_in_version: pkg.fixedVersion ?? undefined,
            purl: pkg.purl ?? undefined,
            path: pkg.path ?? undefined,
          },
        ]
      : undefined,
    affected_code: f.affectedCode
      ? [
          {
            file: { name: basename(f.affectedCode.file), path: f.affectedCode.file },
            start_line: f.affectedCode.line ?? undefined,
            end_line: f.affectedCode.endLine ?? undefined,
          },
        ]
      : undefined,
  };
  const cvss = f.cvss.map((c) => ({
    version: c.version,
    vector_string: c.vector ?? undefined,
    base_score: c.baseScore ?? undefined,
    source: c.source ?? undefined,
  }));
  const vulnerabilities =
    f.cves.length > 0
      ? f.cves.map((cve) => ({
          ...common,
          cve: {
            uid: cve,
            cvss,
            epss: f.epss ? { score: String(f.epss.score), percentile: f.epss.percentile ?? undefined } : undefined,
          },
        }))
      : [{ ...common, advisory: f.advisories[0] ? { uid: f.advisories[0] } : undefined }];
  const a = f.asset;
  return {
    class_uid: 2002,
    class_name: 'Vulnerability Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: activity,
    activity_name: activity === 3 ? 'Close' : 'Create',
    type_uid: 200200 + activity,
    time: f.lastSeen,
    severity_id: f.severityId,
    severity: SEVERITY_NAME[f.severityId] ?? 'Unknown',
    status_id: statusId,
    status,
    confidence_id: confidenceId,
    confidence,
    metadata: {
      version: '1.1.0',
      product: { name: f.scanner.name, vendor_name: 'asmvs', version: f.scanner.version },
      uid: f.eventId,
      processed_time: f.producedAt,
    },
    finding_info: {
      uid: f.fingerprint,
      title: f.title,
      desc: f.description,
      types: [f.findingType],
      first_seen_time: f.firstSeen,
      last_seen_time: f.lastSeen,
      ...(a.url ? { src_url: a.url } : {}),
    },
    vulnerabilities,
    resources: [
      {
        uid: a.assetId ?? undefined,
        type: a.url ? 'url' : pkg ? 'package' : 'network_endpoint',
        name: a.url ?? a.hostname ?? a.ip ?? pkg?.name ?? undefined,
        data: {
          ip: a.ip,
          hostname: a.hostname,
          port: a.port,
          protocol: a.protocol,
          service: a.service,
          product: a.product,
          version: a.version,
        },
      },
    ],
    unmapped: {
      rule_id: f.ruleId,
      advisories: f.advisories,
      scanner_severity: f.scannerSeverity,
      occurrences: f.occurrences,
      normalizer_version: f.normalizerVersion,
      provenance: f.provenance,
      evidence: f.evidence,
    },
  };
}

function basename(p: string): string {
  return p.split('/').pop() ?? p;
}

export function* ocsfChunks(findings: readonly Finding[], _context: ExportContext): Generator<string> {
  yield `${JSON.stringify(findings.map(toOcsf), null, 2)}\n`;
}
