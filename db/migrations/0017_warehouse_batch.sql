-- Warehouse posting, session 8 (issue 14, the 1,000 documents/s target): a whole batch of create-and-post
-- documents in ONE statement, and fewer indexes to keep up on every posting.
--
-- warehouse_post_batch(docs) is what DocumentService's group commit sends, once per batch and outside any
-- explicit transaction (the statement is its own transaction: one round trip and one WAL flush per batch). It
-- locks the stock rows of every document of the batch first (warehouse_lock_stock: created when missing,
-- FOR UPDATE in (warehouse_id, part_id) order — the one global lock order), then creates and posts each
-- document in order inside its own exception block (a subtransaction, in place of the SAVEPOINT round trips of
-- session 7): the document already posted, its lines, then warehouse_apply_effects (0014) with its "created"
-- and "posted" events. A document that is refused — a shortfall, a warehouse or part gone, any error — is
-- rolled back alone; the ones after it see the stock the previous ones left, exactly as if each had been
-- posted alone in that order.
--
-- docs: JSON array, each {"docType", "code", "warehouseId", "targetWarehouseId", "docDate", "note", "refType",
--   "refId", "createdBy", "correlationId", "approvedBy", "actor", "lines": [{"partId", "qty", "unitCost",
--   "serialNo", "note", "adjustDirection"}], "effects": the effects of the lines (stock_math effects_of; "ri",
--   the document id, is set here; a cost is rounded as the line column stores it)}.
-- Result: one row per document, in order: i (1-based), doc (the document's API representation with its
-- "lines") when posted; else shorts (JSON array, one object per short effect: ids, codes, available,
-- requested/asked, onHand, reserved, movementType) or missing (a warehouse or part no longer exists) or
-- err_state/err_msg (any other error: the gateway posts that document alone to answer it exactly).
-- The document JSON must stay equal to DocumentRepo's kDocJson / kLineJson (api_warehouse_documents_test
-- compares a batch-posted answer with GET of the same document).
CREATE OR REPLACE FUNCTION warehouse_post_batch(p_docs jsonb)
RETURNS TABLE (i int, doc json, shorts jsonb, missing boolean, err_state text, err_msg text)
LANGUAGE plpgsql AS $fn$
DECLARE
  x jsonb;
  n bigint;
  v_doc stock_documents;
  v_lines json;
  v_nlines int;
  v_effects jsonb;
  v_events jsonb;
  v_draft jsonb;
  r record;
  v_shorts jsonb;
  v_missing boolean;
  v_out json;
  v_state text;
  v_msg text;
  c_ts CONSTANT text := 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';
BEGIN
  -- Every known row of the batch, locked once in the global order (unknown warehouses or parts are left to
  -- their document, which fails alone).
  PERFORM warehouse_lock_stock(coalesce(
    (SELECT jsonb_agg(DISTINCT jsonb_build_object('w', w.id, 'p', p.id))
       FROM jsonb_array_elements(p_docs) AS b(d), jsonb_array_elements(b.d -> 'effects') AS e(k)
       JOIN warehouses w ON w.id = (e.k ->> 'w')::uuid JOIN spare_parts p ON p.id = (e.k ->> 'p')::uuid),
    '[]'::jsonb));

  FOR x, n IN SELECT b.d, b.o FROM jsonb_array_elements(p_docs) WITH ORDINALITY AS b(d, o) LOOP
    v_shorts := NULL;
    v_missing := false;
    v_out := NULL;
    v_state := NULL;
    v_msg := NULL;
    BEGIN
      INSERT INTO stock_documents (doc_type, code, warehouse_id, target_warehouse_id, doc_date, note, ref_type, ref_id,
                                   created_by, correlation_id, status, approved_by, posted_at)
      VALUES (x ->> 'docType',
              coalesce(x ->> 'code', 'SD-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' ||
                                     lpad(nextval('stock_document_seq')::text, 6, '0')),
              (x ->> 'warehouseId')::uuid, (x ->> 'targetWarehouseId')::uuid,
              coalesce((x ->> 'docDate')::date, CURRENT_DATE), x ->> 'note', x ->> 'refType', (x ->> 'refId')::uuid,
              x ->> 'createdBy', x ->> 'correlationId', 'posted', x ->> 'approvedBy', now())
      RETURNING * INTO v_doc;

      WITH l AS (
        INSERT INTO stock_document_lines (document_id, part_id, qty, unit_cost, serial_no, note, adjust_direction,
                                          seq_no)
        SELECT v_doc.id, (y ->> 'partId')::uuid, (y ->> 'qty')::int, (y ->> 'unitCost')::numeric, y ->> 'serialNo',
               y ->> 'note', y ->> 'adjustDirection', k::int
        FROM jsonb_array_elements(x -> 'lines') WITH ORDINALITY AS t(y, k)
        RETURNING *)
      SELECT coalesce(json_agg(json_build_object('id', l.id, 'documentId', l.document_id, 'partId', l.part_id,
                                                 'partCode', p.part_code, 'partName', p.name, 'qty', l.qty,
                                                 'unitCost', l.unit_cost, 'serialNo', l.serial_no, 'note', l.note,
                                                 'adjustDirection', l.adjust_direction)
                               ORDER BY l.seq_no, l.id), '[]'), count(*)
        INTO v_lines, v_nlines
        FROM l JOIN spare_parts p ON p.id = l.part_id;

      -- The document's representation (= DocumentRepo kDocJson).
      v_draft := jsonb_build_object(
        'id', v_doc.id, 'docType', v_doc.doc_type, 'code', v_doc.code, 'status', v_doc.status,
        'warehouseId', v_doc.warehouse_id, 'targetWarehouseId', v_doc.target_warehouse_id,
        'docDate', v_doc.doc_date, 'refType', v_doc.ref_type, 'refId', v_doc.ref_id, 'note', v_doc.note,
        'createdBy', v_doc.created_by, 'approvedBy', v_doc.approved_by,
        'postedAt', to_char(v_doc.posted_at AT TIME ZONE 'UTC', c_ts), 'reversalOfId', v_doc.reversal_of_id,
        'reversedById', v_doc.reversed_by_id, 'correlationId', v_doc.correlation_id,
        'createdAt', to_char(v_doc.created_at AT TIME ZONE 'UTC', c_ts),
        'updatedAt', to_char(v_doc.updated_at AT TIME ZONE 'UTC', c_ts));
      v_out := (v_draft || jsonb_build_object('lines', v_lines))::json;

      -- The effects of the lines, of this document, each cost as the line stored it.
      SELECT coalesce(jsonb_agg(e.k || jsonb_build_object(
                 'ri', v_doc.id,
                 'c', CASE WHEN e.k ->> 'c' IS NULL THEN NULL ELSE to_jsonb((e.k ->> 'c')::numeric(12,2)) END)
               ORDER BY e.o), '[]'::jsonb)
        INTO v_effects
        FROM jsonb_array_elements(x -> 'effects') WITH ORDINALITY AS e(k, o);
      -- The trail as if created, then posted: the "created" event shows the draft it was.
      v_events := jsonb_build_array(
        jsonb_build_object('entityType', 'stock_document', 'entityId', v_doc.id, 'eventType', 'created',
                           'payload', jsonb_build_object('after', v_draft || jsonb_build_object(
                             'status', 'draft', 'postedAt', NULL, 'approvedBy', NULL, 'lineCount', v_nlines))),
        jsonb_build_object('entityType', 'stock_document', 'entityId', v_doc.id, 'eventType', 'posted',
                           'payload', jsonb_build_object('from', 'draft', 'to', 'posted'), 'withMovements', true));

      FOR r IN SELECT * FROM warehouse_apply_effects(v_effects, x ->> 'actor', x ->> 'correlationId', v_events) AS a
      LOOP
        IF r.ord = 0 THEN
          v_missing := true;
        ELSIF r.short THEN
          v_shorts := coalesce(v_shorts, '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
            'warehouseId', r.warehouse_id, 'partId', r.part_id, 'movementType', r.movement_type,
            'available', r.available, 'requested', r.requested, 'asked', r.requested,
            'warehouseCode', (SELECT w.code FROM warehouses w WHERE w.id = r.warehouse_id),
            'partCode', (SELECT p.part_code FROM spare_parts p WHERE p.id = r.part_id),
            'onHand', coalesce((SELECT s.on_hand FROM spare_part_stock s
                                WHERE s.warehouse_id = r.warehouse_id AND s.part_id = r.part_id), 0),
            'reserved', coalesce((SELECT s.reserved FROM spare_part_stock s
                                  WHERE s.warehouse_id = r.warehouse_id AND s.part_id = r.part_id), 0)));
        END IF;
      END LOOP;
      IF v_missing OR v_shorts IS NOT NULL THEN
        RAISE EXCEPTION 'warehouse_post_batch: document refused' USING ERRCODE = 'P0001';
      END IF;
    EXCEPTION WHEN OTHERS THEN
      -- Everything of this document is rolled back (its subtransaction); local variables keep their values.
      v_out := NULL;
      IF NOT v_missing AND v_shorts IS NULL THEN
        v_state := SQLSTATE;
        v_msg := SQLERRM;
      END IF;
    END;
    i := n;
    doc := v_out;
    shorts := v_shorts;
    missing := v_missing;
    err_state := v_state;
    err_msg := v_msg;
    RETURN NEXT;
  END LOOP;
END
$fn$;

-- Indexes kept up by every posting (issue 14, step 3). What the repository's queries need:
-- spare_part_movements — filters warehouse / part / type / ref / date range, always ORDER BY seq with keyset
-- paging: uq seq (paging, ?after), (warehouse_id, seq), (part_id, seq) (also the deletion checks, the reorder
-- report's "never stocked" and the cascade from a stock row), (ref_type, ref_id) (reversal reads a document's
-- movements). Dropped: (warehouse_id, part_id, created_at) — both filters are served by (part_id, seq), a part
-- lives in few warehouses —, (movement_type, seq) — eight values: walking uq seq and filtering finds a page at
-- once — and the B-tree on created_at, replaced by a BRIN index: the ledger is append-only, so created_at
-- follows the physical order and a date range is found by block ranges at almost no cost per insert.
DROP INDEX IF EXISTS idx_spare_part_movements_lookup;
DROP INDEX IF EXISTS idx_spare_part_movements_type;
DROP INDEX IF EXISTS idx_spare_part_movements_created_at;
CREATE INDEX IF NOT EXISTS brin_spare_part_movements_created_at ON spare_part_movements USING brin (created_at);
-- stock_documents — list filters docType, status, warehouse (source OR target), ref, date, search; sorts code,
-- docDate, createdAt (default), status. Kept: code (unique), created_at (default sort), warehouse_id.
-- Dropped: doc_type (four values: no use as an index). Made partial, so that a document without one does not
-- touch them: target_warehouse_id (transfers only; `target_warehouse_id = $1` implies IS NOT NULL),
-- (ref_type, ref_id) (generated documents only), and status — posted is nearly every row, so the index only
-- serves finding the few drafts and canceled ones, which it keeps in doc_date order.
DROP INDEX IF EXISTS idx_stock_documents_doc_type;
DROP INDEX IF EXISTS idx_stock_documents_target_warehouse_id;
CREATE INDEX IF NOT EXISTS idx_stock_documents_target_warehouse ON stock_documents (target_warehouse_id)
  WHERE target_warehouse_id IS NOT NULL;
DROP INDEX IF EXISTS idx_stock_documents_ref;
CREATE INDEX IF NOT EXISTS idx_stock_documents_ref_partial ON stock_documents (ref_type, ref_id)
  WHERE ref_id IS NOT NULL;
DROP INDEX IF EXISTS idx_stock_documents_status;
CREATE INDEX IF NOT EXISTS idx_stock_documents_not_posted ON stock_documents (status, doc_date DESC)
  WHERE status <> 'posted';
