-- bench/ops/generate.sql — the inventory benchmark's data: one building (10 floors × 10 rooms) holding
-- :rows assets spread over its rooms (asset codes OPS-0000001…), plus a second building with 1,000 assets
-- that the session must not expect. Loaded into an empty, migrated database:
--
--   psql "$URL" -v rows=100000 -f bench/ops/generate.sql
--
-- Prints the building's id and one room's id (the scanners' location) as "building|room".
\set ON_ERROR_STOP on
\if :{?rows}
\else
  \set rows 100000
\endif
SET synchronous_commit = off;

BEGIN;
INSERT INTO locations (name) VALUES ('Bench building'), ('Bench annex');
UPDATE locations SET path = '/' || id || '/' WHERE parent_id IS NULL;
INSERT INTO locations (name, parent_id)
SELECT 'Floor ' || f, p.id FROM locations p, generate_series(1, 10) f WHERE p.name = 'Bench building';
UPDATE locations l SET path = p.path || l.id || '/' FROM locations p WHERE l.parent_id = p.id AND l.path = '/';
INSERT INTO locations (name, parent_id)
SELECT p.name || ' Room ' || r, p.id FROM locations p, generate_series(1, 10) r WHERE p.name LIKE 'Floor %';
UPDATE locations l SET path = p.path || l.id || '/' FROM locations p WHERE l.parent_id = p.id AND l.path = '/';

CREATE TEMP TABLE rooms AS
SELECT id, row_number() OVER (ORDER BY name, id) - 1 AS n FROM locations WHERE name LIKE 'Floor % Room %';

-- 2 % disposed (not expected by a session); the rest in stock or in use.
INSERT INTO assets (asset_code, serial_no, location_id, status)
SELECT 'OPS-' || lpad(g::text, 7, '0'), 'OPSSN' || g, r.id,
       CASE WHEN g % 50 = 0 THEN 'disposed' WHEN g % 3 = 0 THEN 'in_use' ELSE 'in_stock' END
FROM generate_series(1, :rows) g JOIN rooms r ON r.n = g % 100;
INSERT INTO assets (asset_code, serial_no, location_id, status)
SELECT 'ANX-' || lpad(g::text, 7, '0'), 'ANXSN' || g, (SELECT id FROM locations WHERE name = 'Bench annex'), 'in_stock'
FROM generate_series(1, 1000) g;
COMMIT;
ANALYZE locations;
ANALYZE assets;

SELECT (SELECT id FROM locations WHERE name = 'Bench building') || '|' || (SELECT id FROM rooms WHERE n = 0);
