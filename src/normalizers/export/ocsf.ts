// Findings → OCSF 1.8.0 events, one per finding, conformant to the schema version they declare (metadata.version;
// test/normalizers/export/ocsf.test.ts validates them against the schema's own files). A finding that names a CVE, a
// CWE or an advisory is a Vulnerability Finding (class 2002): one vulnerability per CVE, and OCSF wants each to name
// just one of cve, cwe and advisory (further CWEs go to the CVE's related_cwes). A finding that names none of them —
// an open service, an exposure or misconfiguration a scanner gives no identifier for — cannot be a 2002 event without
// inventing an identifier: it is a Detection Finding (class 2004) with the same finding_info and resources. Absent
// values are left out, never null; what OCSF has no attribute for is in `unmapped`.
import type { Finding } from '../../schemas/types.gen.ts';
import type { ExportContext } from './context.ts';
import { jsonArray } from './json-array.ts';
import { urlUri } from './uri.ts';

export const OCSF_VERSION = '1.8.0';

type Json = Record<string, unknown>;

export interface OcsfFinding extends Json {
  class_uid: 2002 | 2004;
  category_uid: 2;
  type_uid: number;
  metadata: Json & { version: string };
  finding_info: Json & { uid: string };
}

const SEVERITY = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'];
const STATUS: Readonly<Record<Finding['status'], [number, string]>> = {
  NEW: [1, 'New'],
  OPEN: [2, 'In Progress'],
  SUPPRESSED: [3, 'Suppressed'],
  RESOLVED: [4, 'Resolved'],
  NOT_AFFECTED: [99, 'Not Affected'],
};
const CONFIDENCE: Readonly<Record<Finding['confidence'], [number, string]>> = {
  UNKNOWN: [0, 'Unknown'],
  LOW: [1, 'Low'],
  MEDIUM: [2, 'Medium'],
  HIGH: [3, 'High'],
};

/** The value without null, undefined, empty arrays or empty objects, at any depth (OCSF has no null). */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact).filter((v) => !isEmpty(v)) as T;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const c = compact(v);
      if (!isEmpty(c)) out[k] = c;
    }
    return out as T;
  }
  return value;
}

function isEmpty(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
  );
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function cwe(id: string): Json {
  return { uid: /^\d+$/.test(id) ? `CWE-${id}` : id.toUpperCase() };
}

/** What one vulnerability says besides its identifier. */
function vulnerabilityDetails(f: Finding): Json {
  const pkg = f.affectedPackage;
  return {
    title: f.title,
    desc: f.description,
    severity: SEVERITY[f.severityId],
    references: f.references.filter((r) => urlUri(r) !== null),
    remediation: f.remediation ? { desc: f.remediation } : undefined,
    vendor_name: f.scanner.name,
    // OCSF requires a package's version: a package the scanner gave none for stays in unmapped.
    affected_packages:
      pkg && pkg.version !== null
        ? [
            {
              name: pkg.name,
              version: pkg.version,
              fixed_in_version: pkg.fixedVersion,
              purl: pkg.purl,
              path: pkg.path,
              package_manager: pkg.ecosystem,
              license: pkg.licenses.join(', ') || undefined,
            },
          ]
        : undefined,
    affected_code: f.affectedCode
      ? [
          {
            file: { name: basename(f.affectedCode.file), path: f.affectedCode.file, type_id: 1, type: 'Regular File' },
            start_line: f.affectedCode.line && f.affectedCode.line > 0 ? f.affectedCode.line : undefined,
            end_line: f.affectedCode.endLine && f.affectedCode.endLine > 0 ? f.affectedCode.endLine : undefined,
          },
        ]
      : undefined,
    is_fix_available: pkg ? pkg.fixedVersion !== null : undefined,
    first_seen_time: f.firstSeen,
    last_seen_time: f.lastSeen,
  };
}

function vulnerabilities(f: Finding): Json[] {
  const details = vulnerabilityDetails(f);
  if (f.cves.length > 0) {
    const cvss = f.cvss
      .filter((c) => c.baseScore !== null)
      .map((c) => ({ version: c.version, base_score: c.baseScore, vector_string: c.vector, vendor_name: c.source }));
    return f.cves.map((uid) => ({
      ...details,
      cve: {
        uid,
        cvss,
        epss: f.epss ? { score: String(f.epss.score), percentile: f.epss.percentile } : undefined,
        related_cwes: f.cwes.map(cwe),
      },
    }));
  }
  if (f.cwes.length > 0) return [{ ...details, cwe: cwe(f.cwes[0]!) }];
  if (f.advisories.length > 0) return f.advisories.map((uid) => ({ ...details, advisory: { uid } }));
  return [];
}

function resource(f: Finding): Json {
  const a = f.asset;
  const pkg = f.affectedPackage;
  const code = f.affectedCode;
  const name = a.url ?? a.hostname ?? a.ip ?? pkg?.path ?? pkg?.name ?? code?.file ?? f.provenance.rawTopic;
  return {
    uid: a.assetId,
    name,
    type: a.url ? 'URL' : a.port !== null ? 'Network Service' : pkg ? 'Package' : code ? 'Source Code' : 'Host',
    hostname: a.hostname,
    ip: a.ip,
    data: {
      port: a.port,
      protocol: a.protocol,
      service: a.service,
      product: a.product,
      version: a.version,
      url: a.url,
      hostnames: a.hostnames,
    },
  };
}

export function toOcsf(f: Finding, context?: Pick<ExportContext, 'version'>): OcsfFinding {
  const vulns = vulnerabilities(f);
  const vulnerability = vulns.length > 0;
  const [classUid, className] = vulnerability
    ? ([2002, 'Vulnerability Finding'] as const)
    : ([2004, 'Detection Finding'] as const);
  const [activityId, activity] = f.status === 'RESOLVED' ? [3, 'Close'] : [1, 'Create'];
  const [statusId, status] = STATUS[f.status];
  const [confidenceId, confidence] = CONFIDENCE[f.confidence];
  const a = f.asset;
  return compact({
    class_uid: classUid,
    class_name: className,
    category_uid: 2,
    category_name: 'Findings',
    activity_id: activityId,
    activity_name: activity,
    type_uid: classUid * 100 + activityId,
    type_name: `${className}: ${activity}`,
    time: f.lastSeen,
    severity_id: f.severityId,
    severity: SEVERITY[f.severityId],
    status_id: statusId,
    status,
    confidence_id: confidenceId,
    confidence,
    message: f.title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: f.scanner.name, version: f.scanner.version },
      uid: f.eventId,
      processed_time: f.producedAt,
      log_provider: context ? `asmvs ${context.version}` : 'asmvs',
    },
    finding_info: {
      uid: f.fingerprint,
      title: f.title,
      desc: f.description,
      types: [f.findingType],
      first_seen_time: f.firstSeen,
      last_seen_time: f.lastSeen,
      src_url: a.url ? urlUri(a.url) : undefined,
      analytic: f.ruleId ? { uid: f.ruleId, name: f.ruleId, type_id: 1, type: 'Rule' } : undefined,
    },
    ...(vulnerability
      ? { vulnerabilities: vulns }
      : {
          is_alert: f.findingType !== 'SERVICE',
          remediation: f.remediation ? { desc: f.remediation } : undefined,
        }),
    resources: [resource(f)],
    unmapped: {
      rule_id: f.ruleId,
      cves: f.cves,
      advisories: f.advisories,
      cwes: f.cwes,
      scanner_severity: f.scannerSeverity,
      occurrences: f.occurrences,
      normalizer_version: f.normalizerVersion,
      provenance: f.provenance,
      evidence: f.evidence,
      matched_by: f.matchedBy,
      package: f.affectedPackage,
    },
  }) as OcsfFinding;
}

/** A JSON array of OCSF events, one element at a time. */
export function ocsfChunks(findings: readonly Finding[], context: ExportContext): Generator<string> {
  return jsonArray(findings, (f) => toOcsf(f, context));
}
