-- bench/warehouse/check.sql — the nothing-lost check after the posting benchmark (psql -v source= -v target=
-- -v start=): per part, what left the source equals the lines of the posted documents, what reached the
-- target equals the transfer lines, every stock row equals the sum of its movements, nothing is negative.
\set ON_ERROR_STOP 1
WITH lines AS (
  SELECT l.part_id, d.doc_type, sum(l.qty) AS qty
  FROM stock_documents d JOIN stock_document_lines l ON l.document_id = d.id
  WHERE d.status = 'posted' AND d.warehouse_id = :'source' AND d.doc_type IN ('issue', 'transfer')
  GROUP BY l.part_id, d.doc_type),
per_part AS (
  SELECT s.part_id, s.on_hand AS source_on_hand,
         coalesce((SELECT on_hand FROM spare_part_stock t WHERE t.warehouse_id = :'target' AND t.part_id = s.part_id), 0) AS target_on_hand,
         coalesce((SELECT sum(qty) FROM lines WHERE lines.part_id = s.part_id), 0) AS posted_out,
         coalesce((SELECT qty FROM lines WHERE lines.part_id = s.part_id AND doc_type = 'transfer'), 0) AS transferred
  FROM spare_part_stock s WHERE s.warehouse_id = :'source')
SELECT 'lost_or_doubled_units', coalesce(sum(abs((:start - source_on_hand) - posted_out) + abs(target_on_hand - transferred)), 0)
FROM per_part
UNION ALL
SELECT 'rows_not_equal_to_ledger', count(*) FROM spare_part_stock s
  LEFT JOIN (SELECT warehouse_id, part_id,
                    sum(CASE WHEN movement_type IN ('in', 'adjust_in', 'transfer_in') THEN qty
                             WHEN movement_type IN ('out', 'adjust_out', 'transfer_out') THEN -qty ELSE 0 END) AS q
             FROM spare_part_movements GROUP BY 1, 2) m USING (warehouse_id, part_id)
  WHERE s.on_hand <> coalesce(m.q, 0)
UNION ALL
SELECT 'negative_rows', count(*) FROM spare_part_stock WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand
UNION ALL
SELECT 'posted_documents', count(*) FROM stock_documents WHERE status = 'posted' AND warehouse_id = :'source' AND doc_type IN ('issue', 'transfer');
