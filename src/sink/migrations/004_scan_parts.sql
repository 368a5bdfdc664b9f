-- The summaries of a split scan's parts (raw events with parts > 1), each with its own distinct finding count:
-- the scan is resolved once every part's summary is here and the sink holds their findings.
CREATE TABLE scan_parts (
  scan_id        text NOT NULL,
  asset_key      text NOT NULL,
  scanner        text NOT NULL,
  part           integer NOT NULL,
  parts          integer NOT NULL,
  finding_count  integer NOT NULL,
  PRIMARY KEY (scan_id, asset_key, scanner, part)
);
