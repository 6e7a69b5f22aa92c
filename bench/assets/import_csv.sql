-- bench/assets/import_csv.sql — writes an import file of :rows new assets (header row first) to stdout,
-- in the columns of GET /api/v1/assets/export: models, vendors and locations by name / name path.
--   psql "$URL" -XqAt -v rows=100000 -v prefix=IMP1 -f bench/assets/import_csv.sql > import.csv
\set ON_ERROR_STOP on
\if :{?rows}
\else
  \set rows 100000
\endif
COPY (
  WITH models AS (
    SELECT m.model, v.name AS vendor, row_number() OVER (ORDER BY m.model) - 1 AS n
    FROM asset_models m LEFT JOIN vendors v ON v.id = m.vendor_id),
  floors AS (
    SELECT (SELECT string_agg(p.name, '/' ORDER BY t.ord)
            FROM unnest(string_to_array(btrim(l.path, '/'), '/')) WITH ORDINALITY AS t(pid, ord)
            JOIN locations p ON p.id = t.pid::uuid) AS name_path,
           row_number() OVER (ORDER BY l.path) - 1 AS n
    FROM locations l WHERE l.path ~ '^(/[^/]+){3}/$'),
  counts AS (SELECT (SELECT count(*) FROM models) AS models, (SELECT count(*) FROM floors) AS floors)
  SELECT :'prefix' || '-' || lpad(g::text, 6, '0') AS "assetCode",
         m.model AS "model",
         m.vendor AS "vendor",
         f.name_path AS "location",
         'IS' || upper(substr(md5(:'prefix' || g), 1, 10)) AS "serialNo",
         '06:' || substr(h, 1, 2) || ':' || substr(h, 3, 2) || ':' || substr(h, 5, 2) || ':' ||
           lpad(to_hex((g >> 8) & 255), 2, '0') || ':' || lpad(to_hex(g & 255), 2, '0') AS "macAddress",
         host('172.16.0.0'::inet + (g * 2654435761) % 1048576) AS "mgmtIp",
         'imp-' || lower(:'prefix') || '-' || g AS "hostname",
         (1 + g % 4094)::int AS "vlanId",
         CASE WHEN g % 3 = 0 THEN 'in_stock' ELSE 'in_use' END AS "status",
         date '2022-01-01' + (g % 900)::int AS "purchaseDate",
         date '2022-01-01' + (g % 900)::int + 1095 AS "warrantyEnd",
         CASE WHEN g % 7 = 0 THEN 'bulk "import", batch ' || (g / 1000) END AS "notes"
  FROM generate_series(1::bigint, :rows) g
  CROSS JOIN counts c
  CROSS JOIN LATERAL (SELECT md5(g::text || :'prefix') AS h) x
  JOIN models m ON m.n = g % c.models
  JOIN floors f ON f.n = (g * 7) % c.floors
  ORDER BY g
) TO STDOUT WITH (FORMAT csv, HEADER);
