-- Asset index set for the CSV import (issue 18, item 7): two indexes no query needs, each maintained on
-- every insert (a 100,000-row import into 1,000,000 assets spends most of its time in index maintenance).
-- - The GiST on mgmt_ip: `mgmt_ip <<= cidr` is served by the btree idx_assets_mgmt_ip (PostgreSQL turns it
--   into a range on the btree), and no list plan used the GiST. Its inserts (penalty computations over the
--   tree) were ~8 % of the import's CPU.
-- - The plain btree on mac_address: the exact-MAC search (the term normalised lower-case) is now
--   `lower(mac_address) = …` on idx_assets_mac_address_lower, which serves the MAC prefix search already.
DROP INDEX IF EXISTS idx_assets_mgmt_ip_gist;
DROP INDEX IF EXISTS idx_assets_mac_address;
