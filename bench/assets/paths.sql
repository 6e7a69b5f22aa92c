-- bench/assets/paths.sql — request paths for the list/search benchmark, one file per query kind, drawn
-- from the loaded data so that searches find real rows. Run with: psql "$URL" -v dir=OUT -f paths.sql
-- Each kind gets many distinct values (wrk cycles through them), except where a real screen would
-- repeat the same request (page 1, a status tab, "warranty ends before the next quarter").
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
SELECT setseed(0.42);

\o :dir/page1.txt
SELECT '/api/v1/assets?page=1&pageSize=50';

\o :dir/status.txt
SELECT '/api/v1/assets?pageSize=50&status=' || s
FROM unnest(ARRAY['in_use', 'in_stock', 'in_repair', 'retired', 'disposed', 'lost', 'in_use,in_repair', 'lost,disposed']) s;

-- Every node of the tree: 5 sites (~200,000 assets each), 50 buildings (~20,000), 450 floors (~2,200).
\o :dir/location.txt
SELECT '/api/v1/assets?pageSize=50&locationId=' || id FROM locations ORDER BY random();

\o :dir/ip_prefix.txt
SELECT '/api/v1/assets?pageSize=50&search=10.' || (random() * 255)::int || '.' || (random() * 255)::int || '.'
FROM generate_series(1, 1000);

\o :dir/mac.txt
SELECT '/api/v1/assets?pageSize=50&search=' || mac_address FROM assets TABLESAMPLE SYSTEM (1)
WHERE mac_address IS NOT NULL LIMIT 1000;

-- Six characters from the middle of a serial number (containment, trigram index).
\o :dir/serial.txt
SELECT '/api/v1/assets?pageSize=50&search=' || substr(serial_no, 4, 6) FROM assets TABLESAMPLE SYSTEM (1)
WHERE serial_no IS NOT NULL LIMIT 1000;

\o :dir/warranty.txt
SELECT '/api/v1/assets?pageSize=50&warrantyBefore=' || to_char(d, 'YYYY-MM-DD')
FROM generate_series(date '2024-01-01', date '2026-10-01', interval '3 months') d;

-- Uncached totals: a different day on every request, each matching hundreds of thousands of rows.
\o :dir/warranty_uncached.txt
SELECT '/api/v1/assets?pageSize=50&warrantyBefore=' || to_char(date '2020-01-01' + g, 'YYYY-MM-DD')
FROM generate_series(0, 3000) g ORDER BY random();
\o
