-- Warehouse and repair (issue 14): what posting, reversal, the ledger and repair orders need on top of 0004.

-- Reversal links (both ways), who posted and when.
ALTER TABLE stock_documents ADD COLUMN IF NOT EXISTS reversal_of_id UUID REFERENCES stock_documents (id) ON DELETE SET NULL;
ALTER TABLE stock_documents ADD COLUMN IF NOT EXISTS reversed_by_id UUID REFERENCES stock_documents (id) ON DELETE SET NULL;
ALTER TABLE stock_documents ADD COLUMN IF NOT EXISTS posted_at TIMESTAMPTZ;
-- A document is reversed at most once.
CREATE UNIQUE INDEX IF NOT EXISTS uq_stock_documents_reversal_of ON stock_documents (reversal_of_id)
  WHERE reversal_of_id IS NOT NULL;

-- The invariants every code path must keep, whatever 0004 already says (idempotent re-statement).
ALTER TABLE spare_part_stock ADD COLUMN IF NOT EXISTS avg_cost NUMERIC(14,4) NOT NULL DEFAULT 0;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'spare_part_stock_on_hand_check') THEN
    ALTER TABLE spare_part_stock ADD CONSTRAINT spare_part_stock_on_hand_check CHECK (on_hand >= 0);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'spare_part_stock_reserved_check') THEN
    ALTER TABLE spare_part_stock ADD CONSTRAINT spare_part_stock_reserved_check CHECK (0 <= reserved AND reserved <= on_hand);
  END IF;
END $$;

-- Costs of movements carry the moving average at its full precision (value = qty × unit_cost to the cent).
ALTER TABLE spare_part_movements ALTER COLUMN unit_cost TYPE NUMERIC(14,4);
ALTER TABLE repair_order_parts ALTER COLUMN unit_cost TYPE NUMERIC(14,4);

-- The ledger in posting order: keyset paging (?after=<movement id>) walks seq.
ALTER TABLE spare_part_movements ADD COLUMN IF NOT EXISTS seq BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX IF NOT EXISTS uq_spare_part_movements_seq ON spare_part_movements (seq);
CREATE INDEX IF NOT EXISTS idx_spare_part_movements_type ON spare_part_movements (movement_type, seq);
CREATE INDEX IF NOT EXISTS idx_spare_part_movements_created_at ON spare_part_movements (created_at);
CREATE INDEX IF NOT EXISTS idx_spare_part_movements_warehouse ON spare_part_movements (warehouse_id, seq);
CREATE INDEX IF NOT EXISTS idx_spare_part_movements_part ON spare_part_movements (part_id, seq);

CREATE INDEX IF NOT EXISTS idx_spare_parts_uom ON spare_parts (uom);
CREATE INDEX IF NOT EXISTS idx_spare_parts_manufacturer ON spare_parts (manufacturer);

-- Repair order part lines: a removed line is returned through a reversal of its issue document.
ALTER TABLE repair_order_parts ADD COLUMN IF NOT EXISTS return_document_id UUID REFERENCES stock_documents (id) ON DELETE SET NULL;
ALTER TABLE repair_order_parts ADD COLUMN IF NOT EXISTS returned_at TIMESTAMPTZ;

-- Reservations of a repair order (supporting table): an open line holds qty on the stock row's reserved;
-- released (cancel, release) or consumed (issued to the order) lines hold nothing.
CREATE TABLE IF NOT EXISTS repair_order_reservations (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  repair_order_id UUID NOT NULL REFERENCES repair_orders (id) ON DELETE CASCADE,
  part_id UUID NOT NULL REFERENCES spare_parts (id),
  warehouse_id UUID NOT NULL REFERENCES warehouses (id),
  qty INT NOT NULL CHECK (qty > 0),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'released', 'consumed')),
  created_by TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  closed_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS idx_repair_order_reservations_order ON repair_order_reservations (repair_order_id, status);
CREATE INDEX IF NOT EXISTS idx_repair_order_reservations_stock ON repair_order_reservations (warehouse_id, part_id);

CREATE INDEX IF NOT EXISTS idx_repair_orders_severity ON repair_orders (severity);
CREATE INDEX IF NOT EXISTS idx_repair_orders_repair_type ON repair_orders (repair_type);
CREATE INDEX IF NOT EXISTS idx_attachments_entity_version ON attachments (entity_type, entity_id, version DESC);

-- Lines keep the order they were entered in.
ALTER TABLE stock_document_lines ADD COLUMN IF NOT EXISTS seq_no INT NOT NULL DEFAULT 0;
