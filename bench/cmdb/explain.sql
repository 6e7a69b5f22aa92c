-- EXPLAIN (ANALYZE, BUFFERS) of the upstream walk as GraphRepo::walk runs it (src/modules/cmdb/graph_repo.cpp,
-- walk_sql(true)): depth 6, cap 1,000,000 walked rows. psql -v root='{<uuid>}'.
EXPLAIN (ANALYZE, BUFFERS)
WITH RECURSIVE walk(ci_id, depth, path, rels) AS (
  SELECT c.id, 0, ARRAY[c.id], ARRAY[]::uuid[] FROM cmdb_cis c WHERE c.id = ANY(:'root'::uuid[])
  UNION ALL
  SELECT DISTINCT ON (r.from_ci_id) r.from_ci_id, w.depth + 1, w.path || r.from_ci_id, w.rels || r.rel_type_id
  FROM walk w JOIN cmdb_relationships r ON r.to_ci_id = w.ci_id AND r.status = 'active'
  WHERE w.depth < 6
) CYCLE ci_id SET is_cycle USING cycle_path,
capped AS MATERIALIZED (SELECT ci_id, depth, path, rels FROM walk WHERE NOT is_cycle LIMIT 1000000),
best AS (SELECT DISTINCT ON (ci_id) ci_id, depth, path, rels FROM capped ORDER BY ci_id, depth)
SELECT b.ci_id, b.depth, c.ci_code, c.name, c.status, c.environment, t.code AS type_code, c.asset_id,
  b.path AS path_ids, b.rels AS rel_ids,
  CASE WHEN c.asset_id IS NULL THEN 0 ELSE (SELECT count(*) FROM maintenance_tickets mt
     WHERE mt.asset_id = c.asset_id AND mt.status IN ('open', 'in_progress')) END AS open_tickets,
  CASE WHEN c.asset_id IS NULL THEN 0 ELSE (SELECT count(*) FROM repair_orders ro
     WHERE ro.asset_id = c.asset_id AND ro.status NOT IN ('closed', 'canceled')) END AS open_repairs,
  (SELECT count(*) FROM capped) AS walked
FROM best b JOIN cmdb_cis c ON c.id = b.ci_id JOIN cmdb_ci_types t ON t.id = c.type_id
ORDER BY b.depth, c.ci_code;
