-- findings_resolver counts the findings a scan reported by the scan id the sink records per finding.
CREATE INDEX findings_by_last_scan ON findings (last_scan_id, asset_key, scanner);
-- and asks whether a later scan of the same asset and scanner has completed already
CREATE INDEX completed_scans_by_asset ON completed_scans (asset_key, scanner, finished_at);
