-- bench/assets/generate.sql — loads a realistic asset inventory into an empty, migrated database.
--
--   psql "$URL" -v rows=1000000 -f bench/assets/generate.sql
--
-- 10 vendors, 20 categories, 200 models, a 3-level location tree of 505 nodes (5 sites × 10 buildings ×
-- 9 floors), then :rows assets spread over the floors. Everything is derived from generate_series, so the
-- data set is the same on every load. The secondary indexes of `assets` are dropped during the load and
-- rebuilt afterwards from their own definitions: one sorted build is several times faster than
-- maintaining 20+ indexes (four of them trigram GIN) row by row.
\set ON_ERROR_STOP on
\if :{?rows}
\else
  \set rows 1000000
\endif
SET maintenance_work_mem = '512MB';
SET synchronous_commit = off;

BEGIN;
INSERT INTO vendors (name, email)
SELECT v, lower(replace(v, ' ', '')) || '@example.com'
FROM unnest(ARRAY['Cisco', 'Juniper', 'Aruba', 'HPE', 'Dell', 'Lenovo', 'Fortinet', 'Ubiquiti', 'MikroTik',
                  'Palo Alto']) AS v;

INSERT INTO asset_categories (name)
SELECT c FROM unnest(ARRAY['Switch', 'Router', 'Firewall', 'Access Point', 'Server', 'Laptop', 'Desktop',
                           'Monitor', 'Printer', 'UPS', 'PDU', 'Storage', 'Load Balancer', 'IP Phone',
                           'Camera', 'Controller', 'Modem', 'Tablet', 'Rack', 'Transceiver']) AS c;

-- 200 models: 10 per category, vendors in rotation.
INSERT INTO asset_models (category_id, vendor_id, brand, model, spec)
SELECT c.id, v.id, v.name, v.name || ' ' || left(c.name, 3) || '-' || (1000 + g * 10)::text,
       jsonb_build_object('ports', 8 * (1 + g % 6), 'rackUnits', 1 + g % 2)
FROM generate_series(0, 199) g
JOIN (SELECT id, name, row_number() OVER (ORDER BY name) - 1 AS n FROM asset_categories) c ON c.n = g / 10
JOIN (SELECT id, name, row_number() OVER (ORDER BY name) - 1 AS n FROM vendors) v ON v.n = g % 10;

-- Location tree: path = '/<ancestor ids>/<own id>/', as the catalog module maintains it.
INSERT INTO locations (name) SELECT 'Site ' || s FROM generate_series(1, 5) s;
UPDATE locations SET path = '/' || id || '/' WHERE parent_id IS NULL;
INSERT INTO locations (name, parent_id)
SELECT p.name || ' Building ' || b, p.id FROM locations p, generate_series(1, 10) b WHERE p.parent_id IS NULL;
UPDATE locations l SET path = p.path || l.id || '/' FROM locations p WHERE l.parent_id = p.id AND p.parent_id IS NULL;
INSERT INTO locations (name, parent_id)
SELECT 'Floor ' || f, p.id FROM locations p, generate_series(1, 9) f WHERE p.path ~ '^/[^/]+/[^/]+/$';
UPDATE locations l SET path = p.path || l.id || '/' FROM locations p
WHERE l.parent_id = p.id AND l.path = '/';
COMMIT;

-- Drop the secondary indexes of assets (kept: primary key and the asset_code unique constraint).
CREATE TEMP TABLE saved_indexes AS
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public' AND tablename = 'assets'
  AND indexname NOT IN ('assets_pkey', 'assets_asset_code_key');
SELECT format('DROP INDEX %I', indexname) FROM saved_indexes \gexec

INSERT INTO assets (asset_code, model_id, serial_no, mac_address, mgmt_ip, hostname, vlan_id, switch_name,
                    switch_port, location_id, status, purchase_date, warranty_end, vendor_id, notes,
                    created_at, updated_at)
SELECT 'AST-' || lpad(g::text, 7, '0'),
       m.id,
       'SN' || upper(substr(md5(g::text), 1, 10)),
       -- locally administered unicast MACs (02:…), unique per asset
       '02:' || substr(h, 1, 2) || ':' || substr(h, 3, 2) || ':' || substr(h, 5, 2) || ':' ||
         lpad(to_hex((g >> 8) & 255), 2, '0') || ':' || lpad(to_hex(g & 255), 2, '0'),
       -- 80 % have a management address, distinct and spread over 10.0.0.0/8 (odd multiplier: a bijection)
       CASE WHEN g % 5 <> 0 THEN '10.0.0.0'::inet + ((g::bigint * 2654435761) % 16777216) END,
       lower(regexp_replace(left(m.cat, 3), '[^A-Za-z0-9]', '', 'g')) || '-' || lpad(((g * 7) % 505)::text, 3, '0') ||
         '-' || lpad(g::text, 7, '0'),  -- a valid RFC 1123 name: the export must re-import
       CASE WHEN m.n < 60 THEN 1 + g % 4094 END,
       CASE WHEN m.n >= 60 THEN 'sw-' || lpad(((g * 7) % 505)::text, 3, '0') || '-01' END,
       CASE WHEN m.n >= 60 THEN 'Gi1/0/' || (1 + g % 48) END,
       l.id,
       CASE WHEN s < 60 THEN 'in_use' WHEN s < 80 THEN 'in_stock' WHEN s < 85 THEN 'in_repair'
            WHEN s < 93 THEN 'retired' WHEN s < 97 THEN 'disposed' ELSE 'lost' END,
       pd,
       pd + (365 * (1 + g % 5))::int,
       m.vendor_id,
       CASE WHEN g % 10 = 0 THEN 'rack ' || (g % 42) || ', imported from the legacy register' END,
       ts,
       ts + interval '3 days'
FROM (SELECT g, md5(g::text || 'mac') AS h, (g * 37) % 100 AS s, date '2018-01-01' + ((g * 17) % 2500)::int AS pd,
             timestamptz '2021-01-01 00:00:00+00' + g * interval '1 minute' AS ts
      FROM generate_series(1::bigint, :rows) g) x
JOIN (SELECT am.id, am.vendor_id, c.name AS cat, row_number() OVER (ORDER BY am.model) - 1 AS n
      FROM asset_models am JOIN asset_categories c ON c.id = am.category_id) m ON m.n = (x.g * 7919) % 200
JOIN (SELECT id, row_number() OVER (ORDER BY path) - 1 AS n FROM locations WHERE path ~ '^(/[^/]+){3}/$') l
  ON l.n = (x.g * 31) % 450;

SELECT indexdef FROM saved_indexes \gexec
VACUUM (ANALYZE) assets;
ANALYZE;
-- The load's own pages written out now: otherwise the checkpoint it triggers is still writing during the
-- first measurements (the CSV import of session 14 ran 15.4 s right after a fresh load, 13–14 s later).
CHECKPOINT;
