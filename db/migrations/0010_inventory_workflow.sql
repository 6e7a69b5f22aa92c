-- Inventory sessions and workflow requests (issue 12 parts 1–2): what their rules need beyond 0002.

-- inventory_items.expected: the item was snapshotted by /start (false: an asset scanned here that was not
-- expected, added as moved). A second scan of such an asset must not turn it into found.
ALTER TABLE inventory_items ADD COLUMN IF NOT EXISTS expected BOOLEAN NOT NULL DEFAULT true;
-- Reports and counts by status within a session; keyset export by id within a session.
CREATE INDEX IF NOT EXISTS idx_inventory_items_session_status ON inventory_items (session_id, status, id);
CREATE INDEX IF NOT EXISTS idx_inventory_items_session_id_id ON inventory_items (session_id, id);
-- (session_id) alone is a prefix of the index above: one index less to maintain while /start inserts 100,000 rows.
DROP INDEX IF EXISTS idx_inventory_items_session_id;
-- scanned_location_id is NULL for every item /start writes: index only the scanned ones (the ON DELETE SET NULL
-- of a location looks up `scanned_location_id = $1`, which implies NOT NULL, so it still uses the index).
CREATE INDEX IF NOT EXISTS idx_inventory_items_scanned_location_set
  ON inventory_items (scanned_location_id) WHERE scanned_location_id IS NOT NULL;
DROP INDEX IF EXISTS idx_inventory_items_scanned_location_id;

-- Workflow list filters (status, requestedBy and assetId are indexed in 0002).
CREATE INDEX IF NOT EXISTS idx_workflow_requests_request_type ON workflow_requests (request_type);
CREATE INDEX IF NOT EXISTS idx_workflow_requests_requester_created
  ON workflow_requests (requested_by, created_at DESC);
