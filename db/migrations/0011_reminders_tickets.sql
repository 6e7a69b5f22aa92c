-- Reminders (delivery state, lease of the instance delivering one) and maintenance tickets (indexes of their
-- filters, the "last closed maintenance" lookup of the reminder job). See src/modules/reminders/README.md
-- and src/modules/maintenance/README.md.

-- A webhook reminder that failed NETOPS_REMINDER_MAX_ATTEMPTS times stops being retried: status failed.
ALTER TABLE reminders DROP CONSTRAINT IF EXISTS reminders_status_check;
ALTER TABLE reminders ADD CONSTRAINT reminders_status_check CHECK (status IN ('pending', 'sent', 'canceled', 'failed'));

ALTER TABLE reminders ADD COLUMN IF NOT EXISTS next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE reminders ADD COLUMN IF NOT EXISTS claimed_until TIMESTAMPTZ;  -- lease of the delivering instance
ALTER TABLE reminders ADD COLUMN IF NOT EXISTS claim_token UUID;           -- which claim holds the lease
ALTER TABLE reminders ADD COLUMN IF NOT EXISTS claimed_by TEXT;            -- host:pid of that instance
ALTER TABLE reminders ADD COLUMN IF NOT EXISTS canceled_at TIMESTAMPTZ;
ALTER TABLE reminders ADD COLUMN IF NOT EXISTS details JSONB NOT NULL DEFAULT '{}';
ALTER TABLE reminders ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ NOT NULL DEFAULT now();

-- The uniqueness of (asset, type, due date) is the table's UNIQUE (asset_id, reminder_type, due_at): the job
-- inserts with ON CONFLICT DO NOTHING against it.
CREATE INDEX IF NOT EXISTS idx_reminders_type ON reminders (reminder_type);
CREATE INDEX IF NOT EXISTS idx_reminders_created_at ON reminders (created_at DESC);
CREATE INDEX IF NOT EXISTS idx_reminders_channel ON reminders (channel);
CREATE INDEX IF NOT EXISTS idx_reminders_unread ON reminders (created_at DESC) WHERE read_at IS NULL;
-- What a delivering instance claims: pending webhook rows by their next attempt.
CREATE INDEX IF NOT EXISTS idx_reminders_deliverable ON reminders (next_attempt_at)
  WHERE status = 'pending' AND channel = 'webhook';

ALTER TABLE maintenance_tickets ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS idx_maintenance_tickets_severity ON maintenance_tickets (severity);
CREATE INDEX IF NOT EXISTS idx_maintenance_tickets_closed_at ON maintenance_tickets (closed_at DESC);
-- The reminder job's "last closed maintenance of each asset".
CREATE INDEX IF NOT EXISTS idx_maintenance_tickets_asset_closed ON maintenance_tickets (asset_id, closed_at)
  WHERE status = 'closed';
