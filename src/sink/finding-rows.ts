// Findings → rows for one upsert statement. Pure. A batch may hold one fingerprint twice (a replay and a rescan in
// the same poll): PostgreSQL refuses to update one row twice in one statement, so the batch is folded first.
import type { Finding } from '../schemas/types.gen.ts';
import { storableValue } from '../normalizers/storable-text.ts';

export interface FindingRow {
  fingerprint: string;
  asset_key: string;
  scanner: string;
  finding_type: string;
  rule_id: string | null;
  title: string;
  severity: string;
  severity_id: number;
  first_seen: number;
  last_seen: number;
  occurrences: number;
  scan_id: string | null;
  normalizer_version: string;
  cves: string[];
  finding: Record<string, unknown>;
  /** The event that carried this observation: recorded as the cause when it opens or reopens the finding. */
  event_id: string;
}

/** The resolution scope of a finding: the scan's asset and the scanner that ran (lower-case). */
export function scannerKey(name: string): string {
  return name.trim().toLowerCase();
}

export function toRow(f: Finding): FindingRow {
  // per-event and per-state fields stay out of the stored content, so a replay does not rewrite it
  const {
    eventId: _e,
    producedAt: _p,
    producer: _pr,
    status: _s,
    statusId: _si,
    firstSeen: _f,
    lastSeen: _l,
    ...content
  } = f;
  return {
    fingerprint: f.fingerprint,
    asset_key: f.asset.assetId ?? '',
    scanner: scannerKey(f.scanner.name),
    finding_type: f.findingType,
    rule_id: f.ruleId,
    title: f.title,
    severity: f.severity,
    severity_id: f.severityId,
    first_seen: f.firstSeen,
    last_seen: f.lastSeen,
    occurrences: f.occurrences,
    scan_id: f.provenance.scanId,
    normalizer_version: f.normalizerVersion,
    cves: f.cves,
    finding: content,
    event_id: f.eventId,
  };
}

/** One row per fingerprint: the latest observation wins, first seen is the earliest. */
export function foldBatch(findings: readonly Finding[]): FindingRow[] {
  const rows = new Map<string, FindingRow>();
  for (const f of findings) {
    const row = toRow(f);
    if (!row.asset_key) throw new TypeError(`finding ${f.fingerprint} has no asset id`);
    const prev = rows.get(row.fingerprint);
    if (!prev) rows.set(row.fingerprint, row);
    else {
      const latest = row.last_seen >= prev.last_seen ? row : prev;
      rows.set(row.fingerprint, { ...latest, first_seen: Math.min(prev.first_seen, row.first_seen) });
    }
  }
  return [...rows.values()];
}

/**
 * The rows as the JSON text of one statement's parameter. The normalizer emits storable findings; findings written
 * by an older normalizer (a replay of normalized-findings) may still hold U+0000 or an unpaired surrogate, which
 * PostgreSQL refuses in jsonb: those (and only those, found by their JSON escapes) are made storable the same way.
 */
export function rowsJson(rows: FindingRow[]): string {
  const json = JSON.stringify(rows);
  return /\\u(0000|d[89a-f])/i.test(json) ? JSON.stringify(storableValue(rows)) : json;
}
