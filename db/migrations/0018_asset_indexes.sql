-- Asset index set (issue 18, item 7): (location_id, created_at, id) replaces (location_id). One location's
-- assets newest first are then an ordered index walk (the list names the location with a plain "=",
-- repo.cpp resolve_locations) instead of a backwards walk of idx_assets_created_at that filters every
-- other location's rows (22,000 rows for a floor of 1,000,000 assets). Same number of indexes for an
-- import to maintain. Other filters by location_id use the leading column as before.
CREATE INDEX IF NOT EXISTS idx_assets_location_created ON assets (location_id, created_at, id);
DROP INDEX IF EXISTS idx_assets_location_id;
