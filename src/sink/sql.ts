// The sink's statements. Times travel as epoch milliseconds and are converted by one expression everywhere, so
// comparisons between a finding's last_seen and a scan's finished_at are exact.
//
// State rules (replay-safe: every rule compares observation times, never the wall clock):
//   insert                                        → NEW
//   seen again later than first seen               → OPEN
//   completed scan of its asset+scanner at T did not see it, last_seen < T,
//     and it lies inside the scan's coverage (coverage.ts) → RESOLVED (resolved_at = T)
//   seen at a time after resolved_at               → REOPENED (reopened_count + 1)
// Content columns follow the latest observation only: replaying an old scan never rolls them back.
// last_change / last_change_by name the last transition and the event behind it (migration 003): an insert is
// OPENED by the finding's event, a reopen REOPENED by it, a resolution RESOLVED by the scan id.

export const UPSERT_ASSETS = `
INSERT INTO assets (asset_key, first_seen, last_seen)
SELECT r.asset_key, to_timestamp(min(r.first_seen) / 1000.0), to_timestamp(max(r.last_seen) / 1000.0)
FROM jsonb_to_recordset($1::jsonb) AS r(asset_key text, first_seen bigint, last_seen bigint)
GROUP BY r.asset_key
ON CONFLICT (asset_key) DO UPDATE SET
  first_seen = LEAST(assets.first_seen, EXCLUDED.first_seen),
  last_seen = GREATEST(assets.last_seen, EXCLUDED.last_seen)`;

export const LOCK_EXISTING = `
SELECT fingerprint, status FROM findings WHERE fingerprint = ANY($1::text[]) ORDER BY fingerprint FOR UPDATE`;

const NEWER = 'EXCLUDED.last_seen >= findings.last_seen';
const REOPENS = "findings.status = 'RESOLVED' AND EXCLUDED.last_seen > findings.resolved_at";
const follow = (col: string) => `${col} = CASE WHEN ${NEWER} THEN EXCLUDED.${col} ELSE findings.${col} END`;

export const UPSERT_FINDINGS = `
INSERT INTO findings (fingerprint, asset_key, scanner, finding_type, rule_id, title, severity, severity_id, status,
                      first_seen, last_seen, occurrences, last_scan_id, normalizer_version, cves, finding,
                      last_change, last_change_by)
SELECT r.fingerprint, r.asset_key, r.scanner, r.finding_type, r.rule_id, r.title, r.severity, r.severity_id, 'NEW',
       to_timestamp(r.first_seen / 1000.0), to_timestamp(r.last_seen / 1000.0), r.occurrences, r.scan_id,
       r.normalizer_version, ARRAY(SELECT jsonb_array_elements_text(r.cves)), r.finding, 'OPENED', r.event_id
FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, asset_key text, scanner text, finding_type text, rule_id text,
     title text, severity text, severity_id smallint, first_seen bigint, last_seen bigint, occurrences integer,
     scan_id text, normalizer_version text, cves jsonb, finding jsonb, event_id text)
ORDER BY r.fingerprint
ON CONFLICT (fingerprint) DO UPDATE SET
  first_seen = LEAST(findings.first_seen, EXCLUDED.first_seen),
  last_seen = GREATEST(findings.last_seen, EXCLUDED.last_seen),
  status = CASE
    WHEN ${REOPENS} THEN 'REOPENED'
    WHEN findings.status = 'NEW' AND EXCLUDED.last_seen > findings.first_seen THEN 'OPEN'
    ELSE findings.status END,
  resolved_at = CASE WHEN ${REOPENS} THEN NULL ELSE findings.resolved_at END,
  reopened_count = findings.reopened_count + CASE WHEN ${REOPENS} THEN 1 ELSE 0 END,
  last_change = CASE WHEN ${REOPENS} THEN 'REOPENED' ELSE findings.last_change END,
  last_change_by = CASE WHEN ${REOPENS} THEN EXCLUDED.last_change_by ELSE findings.last_change_by END,
  ${follow('asset_key')}, ${follow('scanner')}, ${follow('finding_type')}, ${follow('rule_id')}, ${follow('title')},
  ${follow('severity')}, ${follow('severity_id')}, ${follow('occurrences')}, ${follow('normalizer_version')},
  ${follow('cves')}, ${follow('finding')},
  last_scan_id = CASE WHEN ${NEWER} THEN EXCLUDED.last_scan_id ELSE findings.last_scan_id END
RETURNING fingerprint, status, last_change, last_change_by`;

// What a complete scan of the asset and scanner at $3 may resolve (it did not see them, they were last seen before
// it, and $4 does not spare them), locked, with where each is: resolve-unseen.ts keeps those inside the scan's
// coverage and resolves them, re-checking the same conditions.
export const UNSEEN_CANDIDATES = `
SELECT fingerprint, rule_id, finding->'asset'->>'ip' AS ip, finding->'asset'->>'hostname' AS hostname,
       finding->'asset'->>'protocol' AS protocol, (finding->'asset'->>'port')::integer AS port
FROM findings
WHERE asset_key = $1 AND scanner = $2 AND status <> 'RESOLVED'
  AND last_seen < to_timestamp($3 / 1000.0)
  AND NOT (fingerprint = ANY($4::text[]))
ORDER BY fingerprint
FOR UPDATE`;

export const RESOLVE_UNSEEN = `
UPDATE findings SET status = 'RESOLVED', resolved_at = to_timestamp($3 / 1000.0),
                    last_change = 'RESOLVED', last_change_by = $5
WHERE asset_key = $1 AND scanner = $2 AND status <> 'RESOLVED'
  AND last_seen < to_timestamp($3 / 1000.0)
  AND fingerprint = ANY($4::text[])
RETURNING fingerprint`;

export const RECORD_SCAN = `
INSERT INTO completed_scans (scan_id, asset_key, scanner, finished_at, seen, resolved)
VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), $5, $6)
ON CONFLICT (scan_id, asset_key, scanner) DO NOTHING`;

export const SCAN_RECORDED = `
SELECT 1 FROM completed_scans WHERE scan_id = $1 AND asset_key = $2 AND scanner = $3`;

export const LATER_SCAN_RECORDED = `
SELECT 1 FROM completed_scans WHERE asset_key = $1 AND scanner = $2 AND finished_at > to_timestamp($3 / 1000.0) LIMIT 1`;

export const COUNT_SCAN_FINDINGS = `
SELECT count(*)::integer AS held FROM findings WHERE last_scan_id = $1 AND asset_key = $2 AND scanner = $3`;

export const RESOLVED_BY_SCAN = `
SELECT fingerprint FROM findings
WHERE last_change = 'RESOLVED' AND last_change_by = $1 AND asset_key = $2 AND scanner = $3
ORDER BY fingerprint`;

export const RECORD_PART = `
INSERT INTO scan_parts (scan_id, asset_key, scanner, part, parts, finding_count, coverage)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
ON CONFLICT (scan_id, asset_key, scanner, part) DO NOTHING`;

// coverages: each part's, in part order; SQL NULL for a part without one (recorded by an older producer, or before
// migration 005), which makes the scan's coverage the asset whole
export const PARTS_RECORDED = `
SELECT count(*)::integer AS parts, coalesce(sum(finding_count), 0)::integer AS findings,
       coalesce(jsonb_agg(coverage ORDER BY part), '[]'::jsonb) AS coverages
FROM scan_parts WHERE scan_id = $1 AND asset_key = $2 AND scanner = $3 AND part < $4`;
