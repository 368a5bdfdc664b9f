-- The event behind each finding's last state change, so that a redelivered event can report its change again:
-- the database commits before the change is published on asset-changes, and a publish that fails after the commit
-- must not lose the change. last_change_by is the finding's event id (OPENED, REOPENED) or the scan id (RESOLVED).
-- Rows stored before this migration have neither: their past changes are not repeated.
ALTER TABLE findings
  ADD COLUMN last_change text CHECK (last_change IN ('OPENED', 'REOPENED', 'RESOLVED')),
  ADD COLUMN last_change_by text;

-- a redelivered scan summary looks up what its scan resolved
CREATE INDEX findings_resolved_by_scan ON findings (last_change_by, asset_key, scanner) WHERE last_change = 'RESOLVED';
