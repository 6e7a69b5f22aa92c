-- Asset index set (issue 18, item 7): fewer indexes for an import to maintain, one ordered path for the
-- location filter.
--
-- * One trigram GIN index over the four searched text columns together replaces the four per-column
--   trigram indexes. Search keeps its per-column semantics: repo.cpp where_sql ANDs "the combined text
--   contains the term" (this index) with the per-column ILIKEs (the recheck), and any column containing
--   the term means the combined text contains it. The expression must stay identical to kSearchText in
--   src/modules/assets/asset_repo.cpp for the planner to use the index.
-- * The GiST index on mgmt_ip goes: `mgmt_ip <<= cidr` is served by the btree idx_assets_mgmt_ip (the
--   planner turns the containment into a btree range since PostgreSQL 12), as BETWEEN already was.
-- * (location_id, created_at, id) replaces (location_id): one location's assets newest first are an
--   ordered index walk instead of a backwards walk of idx_assets_created_at filtering every other
--   location's rows (22,000 rows for a floor of 1,000,000 assets).
CREATE INDEX IF NOT EXISTS idx_assets_search_trgm ON assets USING gin (
  (COALESCE(asset_code::text, '') || ' ' || COALESCE(serial_no::text, '') || ' ' || COALESCE(hostname::text, '') ||
   ' ' || COALESCE(mac_address::text, '')) gin_trgm_ops);
DROP INDEX IF EXISTS idx_assets_asset_code_trgm;
DROP INDEX IF EXISTS idx_assets_serial_no_trgm;
DROP INDEX IF EXISTS idx_assets_hostname_trgm;
DROP INDEX IF EXISTS idx_assets_mac_address_trgm;
DROP INDEX IF EXISTS idx_assets_mgmt_ip_gist;
CREATE INDEX IF NOT EXISTS idx_assets_location_created ON assets (location_id, created_at, id);
DROP INDEX IF EXISTS idx_assets_location_id;
