-- Warehouse posting in one round trip (issue 14, the 1,000 documents/s target).
--
-- warehouse_apply_effects(effects, actor, correlation, events) does, inside the caller's transaction, what a
-- posting used to do in 3 + n statements from the gateway (ensure the stock rows, lock them, one UPDATE +
-- INSERT per effect): it creates the missing stock rows, locks every row the effects touch with
-- SELECT … FOR UPDATE in (warehouse_id, part_id) order — the same fixed order everywhere, so concurrent
-- postings never deadlock —, applies the effects in order to the locked states (same decimal arithmetic as
-- before: the moving average is round(…, 4) of NUMERIC values, never a float), and refuses the whole set when
-- any effect would drive available (on_hand − reserved) or reserved below zero. Then one UPDATE writes every
-- row and one INSERT every movement, and the given ops events are written in one INSERT (an event with
-- "withMovements": true gets the movements and their costs in its payload). The rows are locked from this
-- statement to the commit only.
--
-- effects: JSON array in posting order, each
--   {"w": warehouse uuid, "p": part uuid, "t": movement type, "q": qty > 0, "s": +1 in / -1 out / 0 reservation,
--    "r": reserved delta, "c": cost text or null (in: the cost weighted in, null = the current average;
--    out: null = at the average, set = a reversal taking out exactly the value its original added),
--    "prev": true = at the cost the previous out effect moved at (transfer in), "rt": ref type, "ri": ref uuid}
-- events: JSON array of {"entityType", "entityId", "eventType", "payload", "withMovements"} or null.
-- Result: one row per effect (ord = its 1-based position, unit_cost = what it moved at, text of
-- NUMERIC(14,4)); or, when anything is short, only the short effects (short = true, nothing written; the
-- caller answers 422 NOT_ENOUGH_STOCK and rolls back); or one row of ord 0 when a warehouse or part no longer
-- exists.
CREATE OR REPLACE FUNCTION warehouse_apply_effects(p_effects jsonb, p_actor text, p_corr text, p_events jsonb)
RETURNS TABLE (ord int, unit_cost text, short boolean, available bigint, requested int, warehouse_id uuid,
               part_id uuid, movement_type text)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  ew uuid[]; ep uuid[]; et text[]; eq int[]; es int[]; er int[]; ec numeric[]; eprev boolean[]; ert text[];
  eri uuid[];
  n int;
  i int;
  k int;
  r record;
  idx jsonb := '{}'::jsonb;  -- "warehouse/part" → position in the state arrays
  kw uuid[] := '{}';
  kp uuid[] := '{}';
  kon int[] := '{}';
  kres int[] := '{}';
  kavg numeric[] := '{}';
  delta int;
  rd int;
  o_on int;
  o_avg numeric;
  cost numeric;
  last_out numeric;
  costs numeric[] := '{}';
  shorts int[] := '{}';
  short_av bigint[] := '{}';
  moved jsonb := '[]'::jsonb;
BEGIN
  SELECT array_agg(x.w ORDER BY x.o), array_agg(x.p ORDER BY x.o), array_agg(x.t ORDER BY x.o),
         array_agg(x.q ORDER BY x.o), array_agg(coalesce(x.s, 0) ORDER BY x.o), array_agg(coalesce(x.r, 0) ORDER BY x.o),
         array_agg(x.c ORDER BY x.o), array_agg(coalesce(x.prev, false) ORDER BY x.o), array_agg(x.rt ORDER BY x.o),
         array_agg(x.ri ORDER BY x.o)
    INTO ew, ep, et, eq, es, er, ec, eprev, ert, eri
    FROM ROWS FROM (jsonb_to_recordset(p_effects) AS (w uuid, p uuid, t text, q int, s int, r int, c numeric,
                                                      prev boolean, rt text, ri uuid)) WITH ORDINALITY
         AS x(w, p, t, q, s, r, c, prev, rt, ri, o);
  n := coalesce(cardinality(ew), 0);
  IF n = 0 THEN RETURN; END IF;

  -- The rows, created when missing (in key order: a concurrent creator of the same row is waited for),
  -- then locked in key order.
  INSERT INTO spare_part_stock (warehouse_id, part_id)
  SELECT DISTINCT u.w, u.p FROM unnest(ew, ep) AS u(w, p) ORDER BY 1, 2
  ON CONFLICT (warehouse_id, part_id) DO NOTHING;
  FOR r IN
    SELECT s.warehouse_id AS w, s.part_id AS p, s.on_hand, s.reserved, s.avg_cost FROM spare_part_stock s
    WHERE (s.warehouse_id, s.part_id) IN (SELECT u.w, u.p FROM unnest(ew, ep) AS u(w, p))
    ORDER BY s.warehouse_id, s.part_id FOR UPDATE OF s
  LOOP
    kw := kw || r.w;
    kp := kp || r.p;
    kon := kon || r.on_hand;
    kres := kres || r.reserved;
    kavg := kavg || r.avg_cost;
    idx := idx || jsonb_build_object(r.w::text || '/' || r.p::text, cardinality(kw));
  END LOOP;

  FOR i IN 1..n LOOP
    k := (idx ->> (ew[i]::text || '/' || ep[i]::text))::int;
    IF k IS NULL THEN
      -- a warehouse or part went away (deleted with its stock rows) between the insert and the lock
      RETURN QUERY SELECT 0, NULL::text, NULL::boolean, NULL::bigint, NULL::int, NULL::uuid, NULL::uuid, NULL::text;
      RETURN;
    END IF;
    delta := es[i] * eq[i];
    rd := er[i];
    -- The rule of available (the same as stock_math shortfalls()): a short effect is reported and leaves the
    -- state as it was, so that every shortfall of the document is named at once.
    IF (delta < 0 AND kon[k] - kres[k] + delta < 0) OR (rd > 0 AND kon[k] - kres[k] - rd < 0)
       OR (rd < 0 AND kres[k] + rd < 0) THEN
      shorts := shorts || i;
      short_av := short_av || (CASE WHEN rd < 0 THEN kres[k] ELSE kon[k] - kres[k] END)::bigint;
      CONTINUE;
    END IF;
    o_on := kon[k];
    o_avg := kavg[k];
    cost := CASE WHEN eprev[i] THEN last_out ELSE ec[i] END;
    -- The moving average, NUMERIC throughout: in at a cost (none: the current average) is weighted in; out at
    -- a given cost (a reversal) takes out exactly that value; out at the average leaves it.
    IF delta > 0 THEN
      kavg[k] := round((o_on * o_avg + delta * coalesce(cost, o_avg)) / (o_on + delta), 4);
    ELSIF delta < 0 AND cost IS NOT NULL AND o_on + delta > 0 THEN
      kavg[k] := greatest(0, round((o_on * o_avg + delta * cost) / (o_on + delta), 4));
    END IF;
    kon[k] := o_on + delta;
    kres[k] := kres[k] + rd;
    -- The movement's cost: what it moved at (NUMERIC(14,4) like the column); none for reservation moves.
    cost := CASE WHEN delta <> 0 THEN coalesce(cost, o_avg)::numeric(14,4) END;
    IF delta < 0 THEN last_out := cost; END IF;
    costs := costs || cost;
  END LOOP;

  IF cardinality(shorts) > 0 THEN  -- nothing written; the caller answers 422 and rolls back
    FOR i IN 1..cardinality(shorts) LOOP
      k := shorts[i];
      ord := k; unit_cost := NULL; short := true; available := short_av[i]; requested := eq[k];
      warehouse_id := ew[k]; part_id := ep[k]; movement_type := et[k];
      RETURN NEXT;
    END LOOP;
    RETURN;
  END IF;

  -- One INSERT for the movements (while the rows are held FOR UPDATE), one UPDATE for the rows.
  INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty, unit_cost, ref_type, ref_id,
                                    actor_user_id, correlation_id)
  SELECT m.w, m.p, m.t, m.q, m.c, m.rt, m.ri, p_actor, p_corr
  FROM unnest(ew, ep, et, eq, costs, ert, eri) WITH ORDINALITY AS m(w, p, t, q, c, rt, ri, o) ORDER BY m.o;
  UPDATE spare_part_stock s SET on_hand = u.on_hand, reserved = u.reserved, avg_cost = u.avg_cost, updated_at = now()
  FROM unnest(kw, kp, kon, kres, kavg) AS u(w, p, on_hand, reserved, avg_cost)
  WHERE s.warehouse_id = u.w AND s.part_id = u.p;

  IF p_events IS NOT NULL AND jsonb_array_length(p_events) > 0 THEN
    IF p_events @> '[{"withMovements": true}]' THEN
      FOR i IN 1..n LOOP
        moved := moved || jsonb_build_array(jsonb_build_object('warehouseId', ew[i], 'partId', ep[i], 'movementType',
                                                               et[i], 'qty', eq[i], 'unitCost', costs[i]));
      END LOOP;
    END IF;
    INSERT INTO ops_events (entity_type, entity_id, event_type, payload, actor_user_id, correlation_id)
    SELECT v.e ->> 'entityType', (v.e ->> 'entityId')::uuid, v.e ->> 'eventType',
           CASE WHEN coalesce((v.e ->> 'withMovements')::boolean, false)
                THEN coalesce(v.e -> 'payload', '{}'::jsonb) || jsonb_build_object('movements', moved)
                ELSE coalesce(v.e -> 'payload', '{}'::jsonb) END,
           p_actor, nullif(p_corr, '')
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS v(e, o) ORDER BY v.o;
  END IF;

  FOR i IN 1..n LOOP
    ord := i; unit_cost := costs[i]::text; short := false; available := NULL; requested := eq[i];
    warehouse_id := ew[i]; part_id := ep[i]; movement_type := et[i];
    RETURN NEXT;
  END LOOP;
END
$fn$;

-- warehouse_lock_stock(keys): the rows of every (warehouse, part) in keys — JSON [{"w", "p"}] —, created when
-- missing and locked FOR UPDATE in (warehouse_id, part_id) order, as warehouse_apply_effects does. A batch of
-- postings in one transaction (group commit, DocumentService) takes the rows of all its documents with it
-- first, so that two batches, or a batch and a single posting, still lock in one global order.
CREATE OR REPLACE FUNCTION warehouse_lock_stock(p_keys jsonb) RETURNS int
LANGUAGE plpgsql AS $fn$
DECLARE
  n int;
BEGIN
  INSERT INTO spare_part_stock (warehouse_id, part_id)
  SELECT DISTINCT x.w, x.p FROM jsonb_to_recordset(p_keys) AS x(w uuid, p uuid) ORDER BY 1, 2
  ON CONFLICT (warehouse_id, part_id) DO NOTHING;
  PERFORM 1 FROM spare_part_stock s
  WHERE (s.warehouse_id, s.part_id) IN (SELECT x.w, x.p FROM jsonb_to_recordset(p_keys) AS x(w uuid, p uuid))
  ORDER BY s.warehouse_id, s.part_id FOR UPDATE OF s;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$fn$;

-- A movement's warehouse and part are those of its stock row: the foreign key points at that row (which the
-- posting holds FOR UPDATE, so the check takes no new lock) instead of at the warehouse and part rows, which
-- every concurrent posting would otherwise share-lock once per movement (MultiXacts on a few hot rows). The
-- stock row references the warehouse and the part, so the chain is the same; deleting a warehouse or part
-- still cascades (stock rows, then their movements).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'spare_part_movements_stock_fkey') THEN
    ALTER TABLE spare_part_movements
      ADD CONSTRAINT spare_part_movements_stock_fkey FOREIGN KEY (warehouse_id, part_id)
      REFERENCES spare_part_stock (warehouse_id, part_id) ON DELETE CASCADE NOT VALID;
    -- Rows that have no stock row (none are written so) keep the constraint NOT VALID rather than fail here.
    BEGIN
      ALTER TABLE spare_part_movements VALIDATE CONSTRAINT spare_part_movements_stock_fkey;
    EXCEPTION WHEN foreign_key_violation THEN
      RAISE WARNING 'spare_part_movements_stock_fkey left NOT VALID: movements without a stock row exist';
    END;
  END IF;
END $$;
ALTER TABLE spare_part_movements DROP CONSTRAINT IF EXISTS spare_part_movements_warehouse_id_fkey;
ALTER TABLE spare_part_movements DROP CONSTRAINT IF EXISTS spare_part_movements_part_id_fkey;

-- Index upkeep of every posting: two indexes duplicated others (the UNIQUE (warehouse_id, part_id) of the stock
-- rows; (part_id, seq) of 0013 serves every part_id lookup of the ledger).
DROP INDEX IF EXISTS idx_spare_part_stock_lookup;
DROP INDEX IF EXISTS idx_spare_part_movements_part_id;
