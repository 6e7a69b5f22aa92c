-- CMDB behaviour (issue 13): redundancy of relationship types, the indexes of the CI filters and of the
-- traversals (graph / impact walk active relationships from either end).

-- A relationship type may declare that a CI survives while at least min_up of its dependencies of that
-- type are up: a count (min_up_percent false) or a percentage of them (true). NULL: no redundancy.
ALTER TABLE cmdb_relationship_types ADD COLUMN IF NOT EXISTS min_up INT;
ALTER TABLE cmdb_relationship_types ADD COLUMN IF NOT EXISTS min_up_percent BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE cmdb_relationship_types ADD COLUMN IF NOT EXISTS created_at TIMESTAMPTZ NOT NULL DEFAULT now();
DO $$ BEGIN
  ALTER TABLE cmdb_relationship_types ADD CONSTRAINT cmdb_relationship_types_min_up_check
    CHECK (min_up IS NULL OR (min_up >= 1 AND (NOT min_up_percent OR min_up <= 100)));
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

-- Services: criticality is an enum; updated_at for ETags.
DO $$ BEGIN
  ALTER TABLE cmdb_services ADD CONSTRAINT cmdb_services_criticality_check
    CHECK (criticality IS NULL OR criticality IN ('low', 'medium', 'high', 'critical'));
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

-- Filters of the CI list.
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_owner_team ON cmdb_cis (owner_team);
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_code_pattern ON cmdb_cis (ci_code text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_cmdb_ci_types_code ON cmdb_ci_types (code);
-- attr.<key>=value on filterable attributes: the value's text form (so "8" matches 8 and "true" true).
CREATE INDEX IF NOT EXISTS idx_cmdb_ci_attr_values_key_value ON cmdb_ci_attr_values (key, (value #>> '{}'));

-- Traversals use the partial indexes of 0003 (from_ci_id / to_ci_id INCLUDE the other end and the type,
-- WHERE status = 'active'): index-only walks.
