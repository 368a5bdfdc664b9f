-- Each part's coverage (scan-results `coverage`: the ports and rules it looked at), so that the part completing a
-- split scan resolves within all the parts' coverage together. NULL: the part stated none (an older producer, or a
-- row from before this migration): the scan then covers its asset whole, as before.
ALTER TABLE scan_parts ADD COLUMN coverage jsonb;
