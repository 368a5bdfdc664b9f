-- Assets (the subjects of scans) and findings, one row per fingerprint.
CREATE TABLE assets (
  asset_key   text PRIMARY KEY,
  first_seen  timestamptz NOT NULL,
  last_seen   timestamptz NOT NULL
);

CREATE TABLE findings (
  fingerprint         text PRIMARY KEY,
  asset_key           text NOT NULL REFERENCES assets (asset_key),
  scanner             text NOT NULL,
  finding_type        text NOT NULL,
  rule_id             text,
  title               text NOT NULL,
  severity            text NOT NULL,
  severity_id         smallint NOT NULL,
  status              text NOT NULL CHECK (status IN ('NEW', 'OPEN', 'RESOLVED', 'REOPENED')),
  first_seen          timestamptz NOT NULL,
  last_seen           timestamptz NOT NULL,
  resolved_at         timestamptz,
  reopened_count      integer NOT NULL DEFAULT 0,
  occurrences         integer NOT NULL,
  last_scan_id        text,
  normalizer_version  text NOT NULL,
  cves                text[] NOT NULL DEFAULT '{}',
  -- the latest observation's content, without the per-event fields (event id, produced at, status)
  finding             jsonb NOT NULL
);

CREATE INDEX findings_open_by_asset_scanner ON findings (asset_key, scanner) WHERE status <> 'RESOLVED';
CREATE INDEX findings_cves ON findings USING gin (cves);

-- Each completed scan once: what it saw and what it resolved.
CREATE TABLE completed_scans (
  scan_id      text NOT NULL,
  asset_key    text NOT NULL,
  scanner      text NOT NULL,
  finished_at  timestamptz NOT NULL,
  seen         integer NOT NULL,
  resolved     integer NOT NULL,
  PRIMARY KEY (scan_id, asset_key, scanner)
);
