CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Vendors: suppliers of asset models and assets
CREATE TABLE IF NOT EXISTS vendors (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  tax_code VARCHAR(100),
  phone VARCHAR(50),
  email VARCHAR(255),
  address TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_vendors_name ON vendors (name);

-- Locations: hierarchical places; path is the materialized path '/<ancestor ids>/<own id>/' used for subtree prefix search
CREATE TABLE IF NOT EXISTS locations (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  parent_id UUID REFERENCES locations (id) ON DELETE SET NULL,
  path TEXT NOT NULL DEFAULT '/',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT locations_path_check CHECK (left(path, 1) = '/' AND right(path, 1) = '/'),
  CONSTRAINT locations_parent_id_check CHECK (parent_id <> id)
);
CREATE INDEX IF NOT EXISTS idx_locations_parent_id ON locations (parent_id);
CREATE INDEX IF NOT EXISTS idx_locations_path ON locations (path text_pattern_ops);

-- Asset categories: kinds of assets (switch, router, laptop, ...)
CREATE TABLE IF NOT EXISTS asset_categories (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_asset_categories_name ON asset_categories (name);

-- Asset category spec versions: versioned spec schemas of a category (draft -> active -> retired)
CREATE TABLE IF NOT EXISTS asset_category_spec_versions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  category_id UUID NOT NULL REFERENCES asset_categories (id) ON DELETE CASCADE,
  version INT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  created_by TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (category_id, version),
  CONSTRAINT asset_category_spec_versions_version_check CHECK (version >= 1),
  CONSTRAINT asset_category_spec_versions_status_check CHECK (status IN ('draft', 'active', 'retired'))
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_asset_category_spec_versions_active
  ON asset_category_spec_versions (category_id) WHERE status = 'active';

-- Asset category spec defs: field definitions of one spec version
CREATE TABLE IF NOT EXISTS asset_category_spec_defs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  version_id UUID NOT NULL REFERENCES asset_category_spec_versions (id) ON DELETE CASCADE,
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
  CONSTRAINT asset_category_spec_defs_field_type_check CHECK (field_type IN (
    'string', 'number', 'integer', 'boolean', 'enum', 'multi_enum', 'date', 'datetime',
    'ip', 'cidr', 'mac', 'hostname', 'port', 'url', 'email', 'json')),
  CONSTRAINT asset_category_spec_defs_enum_values_check CHECK (enum_values IS NULL OR jsonb_typeof(enum_values) = 'array'),
  CONSTRAINT asset_category_spec_defs_min_len_check CHECK (min_len >= 0),
  CONSTRAINT asset_category_spec_defs_max_len_check CHECK (max_len >= 0 AND (min_len IS NULL OR max_len >= min_len)),
  CONSTRAINT asset_category_spec_defs_max_value_check CHECK (min_value IS NULL OR max_value >= min_value),
  CONSTRAINT asset_category_spec_defs_step_value_check CHECK (step_value > 0),
  CONSTRAINT asset_category_spec_defs_precision_check CHECK (precision > 0),
  CONSTRAINT asset_category_spec_defs_scale_check CHECK (scale >= 0 AND (precision IS NULL OR scale <= precision))
);

-- Asset models: product models (brand + model) with spec values validated against a category spec version
CREATE TABLE IF NOT EXISTS asset_models (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  category_id UUID REFERENCES asset_categories (id) ON DELETE SET NULL,
  spec_version_id UUID REFERENCES asset_category_spec_versions (id) ON DELETE SET NULL,
  vendor_id UUID REFERENCES vendors (id) ON DELETE SET NULL,
  brand VARCHAR(255),
  model VARCHAR(255) NOT NULL,
  spec JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_asset_models_category_id ON asset_models (category_id);
CREATE INDEX IF NOT EXISTS idx_asset_models_vendor_id ON asset_models (vendor_id);
CREATE INDEX IF NOT EXISTS idx_asset_models_spec_version_id ON asset_models (spec_version_id);
CREATE INDEX IF NOT EXISTS idx_asset_models_brand ON asset_models (brand);
CREATE INDEX IF NOT EXISTS idx_asset_models_spec ON asset_models USING gin (spec jsonb_path_ops);

-- Assets: individual tracked items (network identity, location, lifecycle status, warranty)
CREATE TABLE IF NOT EXISTS assets (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_code VARCHAR(100) UNIQUE NOT NULL,
  model_id UUID REFERENCES asset_models (id) ON DELETE SET NULL,
  serial_no VARCHAR(255),
  mac_address VARCHAR(50),
  mgmt_ip INET,
  hostname VARCHAR(255),
  vlan_id INT,
  switch_name VARCHAR(255),
  switch_port VARCHAR(100),
  location_id UUID REFERENCES locations (id) ON DELETE SET NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'in_stock',
  purchase_date DATE,
  warranty_end DATE,
  vendor_id UUID REFERENCES vendors (id) ON DELETE SET NULL,
  notes TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT assets_status_check
    CHECK (status IN ('in_stock', 'in_use', 'in_repair', 'retired', 'disposed', 'lost')),
  CONSTRAINT assets_vlan_id_check CHECK (vlan_id BETWEEN 1 AND 4094),
  CONSTRAINT assets_warranty_end_check CHECK (warranty_end >= purchase_date)
);
CREATE INDEX IF NOT EXISTS idx_assets_status ON assets (status);
CREATE INDEX IF NOT EXISTS idx_assets_location_id ON assets (location_id);
CREATE INDEX IF NOT EXISTS idx_assets_model_id ON assets (model_id);
CREATE INDEX IF NOT EXISTS idx_assets_vendor_id ON assets (vendor_id);
CREATE INDEX IF NOT EXISTS idx_assets_warranty_end ON assets (warranty_end);
CREATE INDEX IF NOT EXISTS idx_assets_mgmt_ip ON assets (mgmt_ip);
CREATE INDEX IF NOT EXISTS idx_assets_mgmt_ip_gist ON assets USING gist (mgmt_ip inet_ops);
CREATE INDEX IF NOT EXISTS idx_assets_serial_no ON assets (serial_no);
CREATE INDEX IF NOT EXISTS idx_assets_hostname ON assets (hostname);
CREATE INDEX IF NOT EXISTS idx_assets_mac_address ON assets (mac_address);
CREATE INDEX IF NOT EXISTS idx_assets_created_at ON assets (created_at);
CREATE INDEX IF NOT EXISTS idx_assets_updated_at ON assets (updated_at);
CREATE INDEX IF NOT EXISTS idx_assets_asset_code_lower ON assets (lower(asset_code) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_assets_serial_no_lower ON assets (lower(serial_no) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_assets_hostname_lower ON assets (lower(hostname) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_assets_mac_address_lower ON assets (lower(mac_address) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_assets_asset_code_trgm ON assets USING gin (asset_code gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_assets_serial_no_trgm ON assets USING gin (serial_no gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_assets_hostname_trgm ON assets USING gin (hostname gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_assets_mac_address_trgm ON assets USING gin (mac_address gin_trgm_ops);

-- Asset assignments: who/what holds an asset; at most one open (returned_at IS NULL) per asset
CREATE TABLE IF NOT EXISTS asset_assignments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id UUID NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  assignee_type VARCHAR(20) NOT NULL,
  assignee_id VARCHAR(255) NOT NULL,
  assignee_name VARCHAR(255) NOT NULL,
  assigned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  returned_at TIMESTAMPTZ,
  note TEXT,
  CONSTRAINT asset_assignments_assignee_type_check CHECK (assignee_type IN ('person', 'department', 'system'))
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_asset_assignments_open ON asset_assignments (asset_id) WHERE returned_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_asset_assignments_asset_assigned ON asset_assignments (asset_id, assigned_at DESC);
CREATE INDEX IF NOT EXISTS idx_asset_assignments_assignee ON asset_assignments (assignee_type, assignee_id);

-- Asset events: audit trail of every asset change (before/after payload, actor, correlation id)
CREATE TABLE IF NOT EXISTS asset_events (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id UUID NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  event_type VARCHAR(50) NOT NULL,
  payload JSONB NOT NULL DEFAULT '{}',
  actor_user_id VARCHAR(255),
  correlation_id VARCHAR(100),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_asset_events_asset ON asset_events (asset_id, created_at DESC);

-- Asset attachments: versioned files stored under a random storage key
CREATE TABLE IF NOT EXISTS asset_attachments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id UUID NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  file_name TEXT,
  mime_type TEXT,
  storage_key TEXT,
  size_bytes BIGINT,
  version INT NOT NULL,
  uploaded_by TEXT,
  correlation_id TEXT,
  sha256 TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (asset_id, version),
  CONSTRAINT asset_attachments_version_check CHECK (version >= 1),
  CONSTRAINT asset_attachments_size_bytes_check CHECK (size_bytes >= 0)
);

-- Inventory sessions: stock-taking runs over a location subtree
CREATE TABLE IF NOT EXISTS inventory_sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name TEXT NOT NULL,
  location_id UUID REFERENCES locations (id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  started_at TIMESTAMPTZ,
  closed_at TIMESTAMPTZ,
  created_by TEXT,
  correlation_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT inventory_sessions_status_check CHECK (status IN ('draft', 'in_progress', 'closed', 'canceled'))
);
CREATE INDEX IF NOT EXISTS idx_inventory_sessions_location_id ON inventory_sessions (location_id);
CREATE INDEX IF NOT EXISTS idx_inventory_sessions_status ON inventory_sessions (status);
CREATE INDEX IF NOT EXISTS idx_inventory_sessions_created_at ON inventory_sessions (created_at DESC);

-- Inventory items: expected and scanned assets of a session (found, missing, moved, unknown)
CREATE TABLE IF NOT EXISTS inventory_items (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id UUID NOT NULL REFERENCES inventory_sessions (id) ON DELETE CASCADE,
  asset_id UUID REFERENCES assets (id) ON DELETE SET NULL,
  expected_location_id UUID REFERENCES locations (id) ON DELETE SET NULL,
  scanned_location_id UUID REFERENCES locations (id) ON DELETE SET NULL,
  scanned_at TIMESTAMPTZ,
  status TEXT NOT NULL,
  note TEXT,
  scanned_code TEXT,
  CONSTRAINT inventory_items_status_check CHECK (status IN ('found', 'missing', 'moved', 'unknown'))
);
CREATE INDEX IF NOT EXISTS idx_inventory_items_session_id ON inventory_items (session_id);
CREATE INDEX IF NOT EXISTS idx_inventory_items_asset_id ON inventory_items (asset_id);
CREATE INDEX IF NOT EXISTS idx_inventory_items_expected_location_id ON inventory_items (expected_location_id);
CREATE INDEX IF NOT EXISTS idx_inventory_items_scanned_location_id ON inventory_items (scanned_location_id);
CREATE UNIQUE INDEX IF NOT EXISTS uq_inventory_items_session_asset
  ON inventory_items (session_id, asset_id) WHERE asset_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS uq_inventory_items_session_unknown_code
  ON inventory_items (session_id, scanned_code) WHERE status = 'unknown' AND scanned_code IS NOT NULL;

-- Workflow requests: assign/return/move/repair/dispose requests and their approval lifecycle
CREATE TABLE IF NOT EXISTS workflow_requests (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  request_type TEXT NOT NULL,
  asset_id UUID REFERENCES assets (id) ON DELETE SET NULL,
  from_dept TEXT,
  to_dept TEXT,
  requested_by TEXT,
  approved_by TEXT,
  status TEXT NOT NULL DEFAULT 'submitted',
  payload JSONB NOT NULL DEFAULT '{}',
  correlation_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT workflow_requests_request_type_check
    CHECK (request_type IN ('assign', 'return', 'move', 'repair', 'dispose')),
  CONSTRAINT workflow_requests_status_check
    CHECK (status IN ('submitted', 'approved', 'rejected', 'in_progress', 'done', 'canceled'))
);
CREATE INDEX IF NOT EXISTS idx_workflow_requests_status ON workflow_requests (status);
CREATE INDEX IF NOT EXISTS idx_workflow_requests_requested_by ON workflow_requests (requested_by);
CREATE INDEX IF NOT EXISTS idx_workflow_requests_asset_id ON workflow_requests (asset_id);
CREATE INDEX IF NOT EXISTS idx_workflow_requests_created_at ON workflow_requests (created_at DESC);

-- Reminders: warranty-expiring and maintenance-due notices, delivered once per asset and due date
CREATE TABLE IF NOT EXISTS reminders (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  reminder_type TEXT NOT NULL,
  asset_id UUID NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  due_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  channel TEXT NOT NULL DEFAULT 'ui',
  sent_at TIMESTAMPTZ,
  correlation_id TEXT,
  read_at TIMESTAMPTZ,
  attempts INT NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (asset_id, reminder_type, due_at),
  CONSTRAINT reminders_reminder_type_check CHECK (reminder_type IN ('warranty_expiring', 'maintenance_due')),
  CONSTRAINT reminders_status_check CHECK (status IN ('pending', 'sent', 'canceled')),
  CONSTRAINT reminders_channel_check CHECK (channel IN ('ui', 'webhook')),
  CONSTRAINT reminders_attempts_check CHECK (attempts >= 0)
);
CREATE INDEX IF NOT EXISTS idx_reminders_status_due ON reminders (status, due_at);

-- Maintenance tickets: lightweight asset maintenance (open -> in_progress -> closed | canceled)
CREATE TABLE IF NOT EXISTS maintenance_tickets (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id UUID NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  title VARCHAR(255) NOT NULL,
  severity VARCHAR(20) NOT NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'open',
  opened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  closed_at TIMESTAMPTZ,
  diagnosis TEXT,
  resolution TEXT,
  created_by VARCHAR(255),
  correlation_id VARCHAR(100),
  CONSTRAINT maintenance_tickets_severity_check CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  CONSTRAINT maintenance_tickets_status_check CHECK (status IN ('open', 'in_progress', 'closed', 'canceled'))
);
CREATE INDEX IF NOT EXISTS idx_maintenance_tickets_asset_id ON maintenance_tickets (asset_id);
CREATE INDEX IF NOT EXISTS idx_maintenance_tickets_status ON maintenance_tickets (status);
CREATE INDEX IF NOT EXISTS idx_maintenance_tickets_opened_at ON maintenance_tickets (opened_at DESC);
