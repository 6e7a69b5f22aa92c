-- CMDB CI types: kinds of configuration items (server, switch, application, ...)
CREATE TABLE IF NOT EXISTS cmdb_ci_types (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  code TEXT UNIQUE NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_cmdb_ci_types_name ON cmdb_ci_types (name);

-- CMDB CI type versions: versioned attribute schemas of a CI type (draft -> active -> retired)
CREATE TABLE IF NOT EXISTS cmdb_ci_type_versions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  type_id UUID NOT NULL REFERENCES cmdb_ci_types (id) ON DELETE CASCADE,
  version INT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  created_by TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (type_id, version),
  CONSTRAINT cmdb_ci_type_versions_version_check CHECK (version >= 1),
  CONSTRAINT cmdb_ci_type_versions_status_check CHECK (status IN ('draft', 'active', 'retired'))
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_cmdb_ci_type_versions_active
  ON cmdb_ci_type_versions (type_id) WHERE status = 'active';

-- CMDB CI type attribute defs: field definitions of one CI type version (same shape as asset_category_spec_defs)
CREATE TABLE IF NOT EXISTS cmdb_ci_type_attr_defs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  version_id UUID NOT NULL REFERENCES cmdb_ci_type_versions (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  field_type TEXT NOT NULL,
  unit TEXT,
  required BOOLEAN NOT NULL DEFAULT false,
  enum_values JSONB,
  pattern TEXT,
  min_len INT,
  max_len INT,
  min_value NUMERIC,
  max_value NUMERIC,
  step_value NUMERIC,
  precision INT,
  scale INT,
  default_value JSONB,
  help_text TEXT,
  sort_order INT NOT NULL DEFAULT 0,
  is_active BOOLEAN NOT NULL DEFAULT true,
  is_readonly BOOLEAN NOT NULL DEFAULT false,
  is_searchable BOOLEAN NOT NULL DEFAULT false,
  is_filterable BOOLEAN NOT NULL DEFAULT false,
  UNIQUE (version_id, key),
  CONSTRAINT cmdb_ci_type_attr_defs_field_type_check CHECK (field_type IN (
    'string', 'number', 'integer', 'boolean', 'enum', 'multi_enum', 'date', 'datetime',
    'ip', 'cidr', 'mac', 'hostname', 'port', 'url', 'email', 'json')),
  CONSTRAINT cmdb_ci_type_attr_defs_enum_values_check CHECK (enum_values IS NULL OR jsonb_typeof(enum_values) = 'array'),
  CONSTRAINT cmdb_ci_type_attr_defs_min_len_check CHECK (min_len >= 0),
  CONSTRAINT cmdb_ci_type_attr_defs_max_len_check CHECK (max_len >= 0 AND (min_len IS NULL OR max_len >= min_len)),
  CONSTRAINT cmdb_ci_type_attr_defs_max_value_check CHECK (min_value IS NULL OR max_value >= min_value),
  CONSTRAINT cmdb_ci_type_attr_defs_step_value_check CHECK (step_value > 0),
  CONSTRAINT cmdb_ci_type_attr_defs_precision_check CHECK (precision > 0),
  CONSTRAINT cmdb_ci_type_attr_defs_scale_check CHECK (scale >= 0 AND (precision IS NULL OR scale <= precision))
);

-- CMDB CIs: configuration items, optionally backed by an asset
CREATE TABLE IF NOT EXISTS cmdb_cis (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  type_id UUID NOT NULL REFERENCES cmdb_ci_types (id) ON DELETE RESTRICT,
  name TEXT NOT NULL,
  ci_code TEXT UNIQUE NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  environment TEXT NOT NULL DEFAULT 'prod',
  asset_id UUID REFERENCES assets (id) ON DELETE SET NULL,
  location_id UUID REFERENCES locations (id) ON DELETE SET NULL,
  owner_team TEXT,
  notes TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT cmdb_cis_status_check CHECK (status IN ('active', 'planned', 'maintenance', 'retired')),
  CONSTRAINT cmdb_cis_environment_check CHECK (environment IN ('prod', 'uat', 'dev'))
);
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_type ON cmdb_cis (type_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_asset ON cmdb_cis (asset_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_location_id ON cmdb_cis (location_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_status ON cmdb_cis (status);
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_environment ON cmdb_cis (environment);
CREATE INDEX IF NOT EXISTS idx_cmdb_cis_name ON cmdb_cis (name);

-- CMDB CI attribute values: one value per CI and key, tagged with the type version it was validated against
CREATE TABLE IF NOT EXISTS cmdb_ci_attr_values (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  ci_id UUID NOT NULL REFERENCES cmdb_cis (id) ON DELETE CASCADE,
  version_id UUID NOT NULL REFERENCES cmdb_ci_type_versions (id) ON DELETE RESTRICT,
  key TEXT NOT NULL,
  value JSONB,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (ci_id, key)
);
CREATE INDEX IF NOT EXISTS idx_cmdb_ci_attr_values_ci_id ON cmdb_ci_attr_values (ci_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_ci_attr_values_version_id ON cmdb_ci_attr_values (version_id);

-- CMDB relationship types: kinds of CI-to-CI links, optionally restricted to from/to CI types
CREATE TABLE IF NOT EXISTS cmdb_relationship_types (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  code TEXT UNIQUE NOT NULL,
  name TEXT NOT NULL,
  reverse_name TEXT,
  allowed_from_type_id UUID REFERENCES cmdb_ci_types (id) ON DELETE SET NULL,
  allowed_to_type_id UUID REFERENCES cmdb_ci_types (id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_cmdb_relationship_types_allowed_from ON cmdb_relationship_types (allowed_from_type_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_relationship_types_allowed_to ON cmdb_relationship_types (allowed_to_type_id);

-- CMDB relationships: directed CI links (from depends on / runs on to); deleting retires them
CREATE TABLE IF NOT EXISTS cmdb_relationships (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  rel_type_id UUID NOT NULL REFERENCES cmdb_relationship_types (id) ON DELETE CASCADE,
  from_ci_id UUID NOT NULL REFERENCES cmdb_cis (id) ON DELETE CASCADE,
  to_ci_id UUID NOT NULL REFERENCES cmdb_cis (id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'active',
  since_date DATE,
  note TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT cmdb_relationships_status_check CHECK (status IN ('active', 'retired')),
  CONSTRAINT cmdb_relationships_from_ci_id_check CHECK (from_ci_id <> to_ci_id)
);
CREATE INDEX IF NOT EXISTS idx_cmdb_relationships_from ON cmdb_relationships (from_ci_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_relationships_to ON cmdb_relationships (to_ci_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_relationships_rel_type ON cmdb_relationships (rel_type_id);
CREATE UNIQUE INDEX IF NOT EXISTS uq_cmdb_relationships_active
  ON cmdb_relationships (rel_type_id, from_ci_id, to_ci_id) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS idx_cmdb_relationships_from_active
  ON cmdb_relationships (from_ci_id) INCLUDE (to_ci_id, rel_type_id) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS idx_cmdb_relationships_to_active
  ON cmdb_relationships (to_ci_id) INCLUDE (from_ci_id, rel_type_id) WHERE status = 'active';

-- CMDB services: business services built from CIs
CREATE TABLE IF NOT EXISTS cmdb_services (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  code TEXT UNIQUE NOT NULL,
  name TEXT NOT NULL,
  criticality TEXT,
  owner TEXT,
  sla TEXT,
  status TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_cmdb_services_name ON cmdb_services (name);

-- CMDB service members: CIs that make up a service
CREATE TABLE IF NOT EXISTS cmdb_service_members (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id UUID NOT NULL REFERENCES cmdb_services (id) ON DELETE CASCADE,
  ci_id UUID NOT NULL REFERENCES cmdb_cis (id) ON DELETE CASCADE,
  role TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (service_id, ci_id)
);
CREATE INDEX IF NOT EXISTS idx_cmdb_service_members_service_id ON cmdb_service_members (service_id);
CREATE INDEX IF NOT EXISTS idx_cmdb_service_members_ci_id ON cmdb_service_members (ci_id);
