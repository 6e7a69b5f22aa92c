-- A layered estate for `script/bench cmdb`: 100,000 CIs and ~300,000 active relationships.
--   services (2,000, 5 application members each)
--   applications 10,000 ─runs_on→ VMs 60,000 (each VM runs one application)
--   VMs ─cluster_member (minUp 1)→ 2 hosts of 25,000
--   hosts ─located_in→ racks 1,000 · ─uplink (minUp 50%)→ 2 switches of 2,000 · ─uses→ storage 2,000
--   applications ─depends_on→ applications: 20,000 cross-links (random, so a few cycles)
-- Deterministic: ids are md5-based UUIDs, "random" picks are hashes of the index.
\set ON_ERROR_STOP 1
BEGIN;
CREATE OR REPLACE FUNCTION pg_temp.cid(kind text, i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
  $$ SELECT md5('bench-ci-' || kind || '-' || i)::uuid $$;
CREATE OR REPLACE FUNCTION pg_temp.pick(seed text, i bigint, n bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
  $$ SELECT (('x' || substr(md5(seed || i), 1, 8))::bit(32)::bigint % n) + 1 $$;

INSERT INTO cmdb_ci_types (id, code, name) VALUES
  (md5('type-app')::uuid, 'application', 'Application'), (md5('type-vm')::uuid, 'vm', 'Virtual machine'),
  (md5('type-host')::uuid, 'host', 'Host'), (md5('type-rack')::uuid, 'rack', 'Rack'),
  (md5('type-switch')::uuid, 'switch', 'Switch'), (md5('type-storage')::uuid, 'storage', 'Storage array');
INSERT INTO cmdb_relationship_types (id, code, name, min_up, min_up_percent) VALUES
  (md5('rt-runs_on')::uuid, 'runs_on', 'runs on', NULL, false),
  (md5('rt-cluster')::uuid, 'cluster_member', 'runs in cluster on', 1, false),
  (md5('rt-located')::uuid, 'located_in', 'located in', NULL, false),
  (md5('rt-uplink')::uuid, 'uplink', 'uplink to', 50, true),
  (md5('rt-uses')::uuid, 'uses', 'uses storage', NULL, false),
  (md5('rt-depends')::uuid, 'depends_on', 'depends on', NULL, false);

INSERT INTO cmdb_cis (id, type_id, name, ci_code, environment)
SELECT pg_temp.cid(k.kind, i), md5('type-' || k.kind)::uuid, k.kind || ' ' || i, upper(k.kind) || '-' || lpad(i::text, 6, '0'),
       CASE WHEN i % 10 = 0 THEN 'uat' WHEN i % 10 = 1 THEN 'dev' ELSE 'prod' END
FROM (VALUES ('app', 10000), ('vm', 60000), ('host', 25000), ('rack', 1000), ('switch', 2000), ('storage', 2000)) k(kind, n)
CROSS JOIN LATERAL generate_series(1, k.n) i;

-- app → VM: VM i runs application ((i - 1) % 10000) + 1.
INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id)
SELECT md5('rt-runs_on')::uuid, pg_temp.cid('app', ((i - 1) % 10000) + 1), pg_temp.cid('vm', i) FROM generate_series(1, 60000) i;
-- VM → 2 hosts (cluster, minUp 1).
INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id)
SELECT DISTINCT md5('rt-cluster')::uuid, pg_temp.cid('vm', i), pg_temp.cid('host', pg_temp.pick('vmh' || k, i, 25000))
FROM generate_series(1, 60000) i CROSS JOIN generate_series(1, 2) k;
-- host → rack, host → 2 switches (50% up needed), host → storage.
INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id)
SELECT md5('rt-located')::uuid, pg_temp.cid('host', i), pg_temp.cid('rack', ((i - 1) / 25) + 1) FROM generate_series(1, 25000) i;
INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id)
SELECT DISTINCT md5('rt-uplink')::uuid, pg_temp.cid('host', i), pg_temp.cid('switch', pg_temp.pick('hs' || k, i, 2000))
FROM generate_series(1, 25000) i CROSS JOIN generate_series(1, 2) k;
INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id)
SELECT md5('rt-uses')::uuid, pg_temp.cid('host', i), pg_temp.cid('storage', pg_temp.pick('st', i, 2000)) FROM generate_series(1, 25000) i;
-- Cross-links between applications (random: some cycles).
INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id)
SELECT DISTINCT md5('rt-depends')::uuid, pg_temp.cid('app', pg_temp.pick('xa', i, 10000)), pg_temp.cid('app', pg_temp.pick('xb', i, 10000))
FROM generate_series(1, 20000) i WHERE pg_temp.pick('xa', i, 10000) <> pg_temp.pick('xb', i, 10000)
ON CONFLICT DO NOTHING;
-- A few explicit cycles through the layers' dependents: app → app → app → app.
INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id)
SELECT md5('rt-depends')::uuid, pg_temp.cid('app', b + 2), pg_temp.cid('app', b) FROM generate_series(1, 9000, 900) b
ON CONFLICT DO NOTHING;

INSERT INTO cmdb_services (id, code, name, criticality)
SELECT md5('svc-' || i)::uuid, 'SVC-' || lpad(i::text, 4, '0'), 'Service ' || i,
       (ARRAY['low', 'medium', 'high', 'critical'])[1 + i % 4] FROM generate_series(1, 2000) i;
INSERT INTO cmdb_service_members (service_id, ci_id, role)
SELECT md5('svc-' || (((i - 1) / 5) + 1))::uuid, pg_temp.cid('app', i), CASE WHEN i % 5 = 1 THEN 'primary' ELSE 'member' END
FROM generate_series(1, 10000) i;
COMMIT;
VACUUM ANALYZE cmdb_cis;
VACUUM ANALYZE cmdb_relationships;
VACUUM ANALYZE cmdb_relationship_types;
VACUUM ANALYZE cmdb_service_members;
