-- Warehouses: places that hold spare-part stock
CREATE TABLE IF NOT EXISTS warehouses (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  code TEXT UNIQUE NOT NULL,
  name TEXT NOT NULL,
  location_id UUID REFERENCES locations (id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_warehouses_location_id ON warehouses (location_id);

-- Spare parts: stock-keeping units with their reorder level
CREATE TABLE IF NOT EXISTS spare_parts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  part_code TEXT UNIQUE NOT NULL,
  name TEXT NOT NULL,
  category TEXT,
  uom TEXT NOT NULL DEFAULT 'pcs',
  manufacturer TEXT,
  model TEXT,
  spec JSONB NOT NULL DEFAULT '{}',
  min_level INT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT spare_parts_min_level_check CHECK (min_level >= 0)
);
CREATE INDEX IF NOT EXISTS idx_spare_parts_name ON spare_parts (name);
CREATE INDEX IF NOT EXISTS idx_spare_parts_category ON spare_parts (category);

-- Spare part stock: on-hand, reserved and moving weighted average cost per warehouse and part
CREATE TABLE IF NOT EXISTS spare_part_stock (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  warehouse_id UUID NOT NULL REFERENCES warehouses (id) ON DELETE CASCADE,
  part_id UUID NOT NULL REFERENCES spare_parts (id) ON DELETE CASCADE,
  on_hand INT NOT NULL DEFAULT 0,
  reserved INT NOT NULL DEFAULT 0,
  avg_cost NUMERIC(14,4) NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (warehouse_id, part_id),
  CONSTRAINT spare_part_stock_on_hand_check CHECK (on_hand >= 0),
  CONSTRAINT spare_part_stock_reserved_check CHECK (reserved >= 0 AND reserved <= on_hand),
  CONSTRAINT spare_part_stock_avg_cost_check CHECK (avg_cost >= 0)
);
CREATE INDEX IF NOT EXISTS idx_spare_part_stock_lookup ON spare_part_stock (warehouse_id, part_id);
CREATE INDEX IF NOT EXISTS idx_spare_part_stock_part_id ON spare_part_stock (part_id);

-- Stock documents: receipt / issue / adjust / transfer documents (draft -> posted | canceled)
CREATE TABLE IF NOT EXISTS stock_documents (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  doc_type TEXT NOT NULL,
  code TEXT UNIQUE NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  warehouse_id UUID REFERENCES warehouses (id) ON DELETE SET NULL,
  target_warehouse_id UUID REFERENCES warehouses (id) ON DELETE SET NULL,
  doc_date DATE NOT NULL DEFAULT CURRENT_DATE,
  ref_type TEXT,
  ref_id UUID,
  note TEXT,
  created_by TEXT,
  approved_by TEXT,
  correlation_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT stock_documents_doc_type_check CHECK (doc_type IN ('receipt', 'issue', 'adjust', 'transfer')),
  CONSTRAINT stock_documents_status_check CHECK (status IN ('draft', 'posted', 'canceled')),
  CONSTRAINT stock_documents_target_warehouse_id_check CHECK (target_warehouse_id <> warehouse_id)
);
CREATE INDEX IF NOT EXISTS idx_stock_documents_status ON stock_documents (status, doc_date DESC);
CREATE INDEX IF NOT EXISTS idx_stock_documents_warehouse_id ON stock_documents (warehouse_id);
CREATE INDEX IF NOT EXISTS idx_stock_documents_target_warehouse_id ON stock_documents (target_warehouse_id);
CREATE INDEX IF NOT EXISTS idx_stock_documents_ref ON stock_documents (ref_type, ref_id);
CREATE INDEX IF NOT EXISTS idx_stock_documents_doc_type ON stock_documents (doc_type);
CREATE INDEX IF NOT EXISTS idx_stock_documents_created_at ON stock_documents (created_at DESC);

CREATE SEQUENCE IF NOT EXISTS stock_document_seq;

-- Stock document lines: parts and quantities of a stock document
CREATE TABLE IF NOT EXISTS stock_document_lines (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id UUID NOT NULL REFERENCES stock_documents (id) ON DELETE CASCADE,
  part_id UUID NOT NULL REFERENCES spare_parts (id),
  qty INT NOT NULL,
  unit_cost NUMERIC(12,2),
  serial_no TEXT,
  note TEXT,
  adjust_direction TEXT,
  CONSTRAINT stock_document_lines_qty_check CHECK (qty > 0),
  CONSTRAINT stock_document_lines_unit_cost_check CHECK (unit_cost >= 0),
  CONSTRAINT stock_document_lines_adjust_direction_check
    CHECK (adjust_direction IS NULL OR adjust_direction IN ('plus', 'minus'))
);
CREATE INDEX IF NOT EXISTS idx_stock_document_lines_document_id ON stock_document_lines (document_id);
CREATE INDEX IF NOT EXISTS idx_stock_document_lines_part_id ON stock_document_lines (part_id);

-- Spare part movements: immutable ledger of every stock change (in, out, adjust, transfer, reserve, release)
CREATE TABLE IF NOT EXISTS spare_part_movements (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  warehouse_id UUID NOT NULL REFERENCES warehouses (id) ON DELETE CASCADE,
  part_id UUID NOT NULL REFERENCES spare_parts (id) ON DELETE CASCADE,
  movement_type TEXT NOT NULL,
  qty INT NOT NULL,
  unit_cost NUMERIC(12,2),
  ref_type TEXT,
  ref_id UUID,
  actor_user_id TEXT,
  correlation_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT spare_part_movements_movement_type_check CHECK (movement_type IN (
    'in', 'out', 'adjust_in', 'adjust_out', 'transfer_in', 'transfer_out', 'reserve', 'release')),
  CONSTRAINT spare_part_movements_qty_check CHECK (qty > 0),
  CONSTRAINT spare_part_movements_unit_cost_check CHECK (unit_cost >= 0)
);
CREATE INDEX IF NOT EXISTS idx_spare_part_movements_lookup
  ON spare_part_movements (warehouse_id, part_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_spare_part_movements_part_id ON spare_part_movements (part_id);
CREATE INDEX IF NOT EXISTS idx_spare_part_movements_ref ON spare_part_movements (ref_type, ref_id);

-- Repair orders: asset repairs (open -> diagnosing -> waiting_parts -> repaired -> closed | canceled) with costs and downtime
CREATE TABLE IF NOT EXISTS repair_orders (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id UUID NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  ci_id UUID REFERENCES cmdb_cis (id) ON DELETE SET NULL,
  code TEXT UNIQUE NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  severity TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  opened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  closed_at TIMESTAMPTZ,
  diagnosis TEXT,
  resolution TEXT,
  repair_type TEXT NOT NULL,
  technician_name TEXT,
  vendor_id UUID REFERENCES vendors (id) ON DELETE SET NULL,
  labor_cost NUMERIC(12,2) NOT NULL DEFAULT 0,
  parts_cost NUMERIC(12,2) NOT NULL DEFAULT 0,
  downtime_minutes INT,
  created_by TEXT,
  correlation_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT repair_orders_severity_check CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  CONSTRAINT repair_orders_status_check
    CHECK (status IN ('open', 'diagnosing', 'waiting_parts', 'repaired', 'closed', 'canceled')),
  CONSTRAINT repair_orders_repair_type_check CHECK (repair_type IN ('internal', 'vendor')),
  CONSTRAINT repair_orders_labor_cost_check CHECK (labor_cost >= 0),
  CONSTRAINT repair_orders_parts_cost_check CHECK (parts_cost >= 0),
  CONSTRAINT repair_orders_downtime_minutes_check CHECK (downtime_minutes >= 0)
);
CREATE INDEX IF NOT EXISTS idx_repair_orders_status ON repair_orders (status, opened_at DESC);
CREATE INDEX IF NOT EXISTS idx_repair_orders_asset_id ON repair_orders (asset_id);
CREATE INDEX IF NOT EXISTS idx_repair_orders_ci_id ON repair_orders (ci_id);
CREATE INDEX IF NOT EXISTS idx_repair_orders_vendor_id ON repair_orders (vendor_id);
CREATE INDEX IF NOT EXISTS idx_repair_orders_opened_at ON repair_orders (opened_at DESC);

CREATE SEQUENCE IF NOT EXISTS repair_order_seq;

-- Repair order parts: parts replaced/added/removed/upgraded by a repair, issued through a stock document
CREATE TABLE IF NOT EXISTS repair_order_parts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  repair_order_id UUID NOT NULL REFERENCES repair_orders (id) ON DELETE CASCADE,
  part_id UUID REFERENCES spare_parts (id) ON DELETE SET NULL,
  part_name TEXT,
  warehouse_id UUID REFERENCES warehouses (id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  qty INT NOT NULL,
  unit_cost NUMERIC(12,2),
  serial_no TEXT,
  note TEXT,
  stock_document_id UUID REFERENCES stock_documents (id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT repair_order_parts_action_check CHECK (action IN ('replace', 'add', 'remove', 'upgrade')),
  CONSTRAINT repair_order_parts_qty_check CHECK (qty > 0),
  CONSTRAINT repair_order_parts_unit_cost_check CHECK (unit_cost >= 0)
);
CREATE INDEX IF NOT EXISTS idx_repair_order_parts_repair_order_id ON repair_order_parts (repair_order_id);
CREATE INDEX IF NOT EXISTS idx_repair_order_parts_part_id ON repair_order_parts (part_id);
CREATE INDEX IF NOT EXISTS idx_repair_order_parts_warehouse_id ON repair_order_parts (warehouse_id);
CREATE INDEX IF NOT EXISTS idx_repair_order_parts_stock_document_id ON repair_order_parts (stock_document_id);

-- Attachments: files of repair orders and stock documents, stored under a random storage key
CREATE TABLE IF NOT EXISTS attachments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_type TEXT NOT NULL,
  entity_id UUID NOT NULL,
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  storage_key TEXT NOT NULL,
  size_bytes BIGINT,
  version INT NOT NULL DEFAULT 1,
  uploaded_by TEXT,
  correlation_id TEXT,
  sha256 TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT attachments_entity_type_check CHECK (entity_type IN ('repair_order', 'stock_document')),
  CONSTRAINT attachments_version_check CHECK (version >= 1),
  CONSTRAINT attachments_size_bytes_check CHECK (size_bytes >= 0)
);
CREATE INDEX IF NOT EXISTS idx_attachments_entity ON attachments (entity_type, entity_id);

-- Ops events: audit trail of warehouse and repair changes (entity, event, payload, actor, correlation id)
CREATE TABLE IF NOT EXISTS ops_events (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_type TEXT NOT NULL,
  entity_id UUID NOT NULL,
  event_type TEXT NOT NULL,
  payload JSONB NOT NULL DEFAULT '{}',
  actor_user_id TEXT,
  correlation_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_ops_events_entity ON ops_events (entity_type, entity_id, created_at DESC);
