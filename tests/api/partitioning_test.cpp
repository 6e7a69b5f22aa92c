// Monthly partitions of usage_logs and audit_logs (db/migrations/0015, modules/partitions): the migration
// keeps existing rows, a month without a partition lands in the default one and stays readable, maintenance
// creates months ahead and drops past retention (explicit dates, and the server's job on its real clock),
// a spill file replayed twice is still one row per record, and the usage pages and reports read the same.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "support/api.hpp"

using namespace netops::test;
namespace fs = std::filesystem;

namespace {

// db/migrations of this checkout: found upwards from the working directory (ctest runs in build/…) or from
// this file's path.
fs::path migrations_dir() {
  for (fs::path p : {fs::current_path(), fs::path(__FILE__).parent_path()}) {
    for (fs::path q = fs::absolute(p); !q.empty(); q = q.parent_path()) {
      if (fs::is_directory(q / "db" / "migrations")) return q / "db" / "migrations";
      if (q == q.parent_path()) break;
    }
  }
  return {};
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// usage_logs rows: (user, model, latency, status, created_at expression).
std::string usage_row(const std::string& user, const std::string& model, int latency, const std::string& status,
                      const std::string& at, const std::string& rid = "") {
  return "('" + user + "', '" + model + "', 'p', 1, 10, 5, 15, 0.001, " + std::to_string(latency) + ", '" + status +
         "', " + at + ", " + (rid.empty() ? "NULL" : "'" + rid + "'") + ")";
}
const std::string kUsageInsert =
    "INSERT INTO usage_logs (user_id, model_id, provider, tier, prompt_tokens, completion_tokens, total_tokens, "
    "total_cost, latency_ms, status, created_at, request_id) VALUES ";

std::string partition_of(const std::string& url, const std::string& table, const std::string& where) {
  return exec_sql(url, "SELECT string_agg(DISTINCT tableoid::regclass::text, ',') FROM " + table + " WHERE " + where);
}

}  // namespace

class Partitioning : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "partitions";
    start_server(o);
  }
  HttpResponse get(const std::string& path) { return client.get(path, bearer(admin_)); }
};

TEST_F(Partitioning, LogTablesArePartitionedByMonthWithADefault) {
  for (const std::string t : {"usage_logs", "audit_logs"}) {
    EXPECT_EQ(sql("SELECT partstrat FROM pg_partitioned_table WHERE partrelid = '" + t + "'::regclass"), "r");
    EXPECT_EQ(sql("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '" + t +
                  "'::regclass AND c.relname = '" + t + "_default'"),
              "1");
    // The current month and the next two exist (migration and the server's job at start).
    for (int m = 0; m <= 2; ++m)
      EXPECT_NE(sql("SELECT to_regclass('" + t + "_p' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '" +
                    std::to_string(m) + " month', 'YYYYMM'))"),
                "")
          << t << " +" << m;
  }
  // Primary keys hold the partition key.
  EXPECT_EQ(sql("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'usage_logs_pkey'"),
            "PRIMARY KEY (created_at, id)");
}

TEST_F(Partitioning, AMonthWithoutAPartitionLandsInTheDefaultAndStaysReadable) {
  sql(kUsageInsert + usage_row("u-far", "far/m", 120, "success", "'2041-03-05 10:00:00+00'", "far-1") + ", " +
      usage_row("u-far", "far/m", 130, "error", "'2041-03-06 10:00:00+00'", "far-2"));
  sql("INSERT INTO audit_logs (action, resource, created_at) VALUES ('far.test', 'far:1', '2041-03-05 10:00:00+00')");
  EXPECT_EQ(partition_of(server_->database_url(), "usage_logs", "user_id = 'u-far'"), "usage_logs_default");
  EXPECT_EQ(partition_of(server_->database_url(), "audit_logs", "action = 'far.test'"), "audit_logs_default");

  auto logs = get("/api/usage/logs?userId=u-far");
  ASSERT_EQ(logs.status, 200) << logs.body;
  ASSERT_EQ(logs.json()["data"].size(), 2u);
  EXPECT_EQ(logs.json()["data"][0]["requestId"], "far-2");
  auto audit = get("/api/admin/audit-logs?action=far.test");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json()["meta"]["total"], 1);

  // Maintenance that reaches that month moves its rows out of the default into the new partition.
  sql("SELECT netops_maintain_partitions('usage_logs', '2041-03-20', 0, 0)");
  sql("SELECT netops_maintain_partitions('audit_logs', '2041-03-20', 0, 0)");
  EXPECT_EQ(partition_of(server_->database_url(), "usage_logs", "user_id = 'u-far'"), "usage_logs_p204103");
  EXPECT_EQ(partition_of(server_->database_url(), "audit_logs", "action = 'far.test'"), "audit_logs_p204103");
  EXPECT_EQ(get("/api/usage/logs?userId=u-far").json()["data"].size(), 2u);
  EXPECT_EQ(get("/api/admin/audit-logs?action=far.test").json()["meta"]["total"], 1);
}

TEST_F(Partitioning, MaintenanceCreatesAheadWithExplicitDates) {
  auto r = json::parse(sql("SELECT netops_maintain_partitions('usage_logs', '2035-11-15', 2, 0)"));
  EXPECT_EQ(r["created"], json::array({"usage_logs_p203511", "usage_logs_p203512", "usage_logs_p203601"}));
  EXPECT_EQ(r["dropped"], json::array());
  // A second run creates nothing.
  r = json::parse(sql("SELECT netops_maintain_partitions('usage_logs', '2035-11-30', 2, 0)"));
  EXPECT_EQ(r["created"], json::array());
  EXPECT_EQ(sql("SET TimeZone = 'UTC'; SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c WHERE relname = "
                "'usage_logs_p203512'"),
            "FOR VALUES FROM ('2035-12-01 00:00:00+00') TO ('2036-01-01 00:00:00+00')");
  EXPECT_THROW(sql("SELECT netops_maintain_partitions('users', '2035-11-15', 2, 0)"), std::runtime_error);
}

TEST_F(Partitioning, UsagePagesKeysetAndReportsReadTheRollups) {
  // 7 rows of one model today, one 3 days ago; paged 3 at a time through the keyset cursor.
  const std::string today = "(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
  std::string rows;
  for (int i = 0; i < 7; ++i)
    rows += (i ? ", " : "") + usage_row("u-page", "page/m", 100 * (i + 1), i == 6 ? "error" : "success",
                                        today + " + interval '" + std::to_string(i + 1) + " minutes'",
                                        "page-" + std::to_string(i));
  rows += ", " + usage_row("u-page", "page/m", 2345, "success", today + " - interval '3 days'", "page-old");
  sql(kUsageInsert + rows);

  std::vector<std::string> seen;
  std::string after;
  for (int n = 0; n < 5; ++n) {
    auto r = get("/api/usage/logs?userId=u-page&pageSize=3" + (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["meta"]["total"], 8);
    EXPECT_EQ(j["meta"]["totalExact"], true);
    for (auto& d : j["data"]) seen.push_back(d["requestId"].get<std::string>());
    if (j["meta"]["nextCursor"].is_null()) break;
    after = j["meta"]["nextCursor"].get<std::string>();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"page-6", "page-5", "page-4", "page-3", "page-2", "page-1", "page-0",
                                            "page-old"}));
  // The same rows by page number.
  auto p2 = get("/api/usage/logs?userId=u-page&pageSize=3&page=2").json();
  EXPECT_EQ(p2["data"][0]["requestId"], "page-3");
  EXPECT_EQ(get("/api/usage/logs?after=nonsense").status, 400);
  EXPECT_EQ(get("/api/usage/logs?page=5000&pageSize=100").status, 400);

  // The statement trigger rolled the rows up per model and day (what the reports read), the latency
  // histogram exact below one second and to 3 significant digits above.
  EXPECT_EQ(sql("SELECT sum(requests) || '/' || sum(errors) || '/' || sum(tokens) FROM usage_model_daily WHERE model_id = "
                "'page/m'"),
            "8/1/120");
  EXPECT_EQ(sql("SELECT string_agg(latency_ms || ':' || calls, ',' ORDER BY latency_ms) FROM usage_model_latency_daily "
                "WHERE model_id = 'page/m' AND latency_ms > 600"),
            "700:1,2350:1");
  EXPECT_EQ(get("/api/usage/logs?modelId=page/m&status=error").json()["meta"]["total"], 1);
}

// A fresh database migrated up to 0014 holds rows in the old unpartitioned tables; the server applies 0015.
TEST(PartitionMigration, KeepsExistingRows) {
  auto dir = migrations_dir();
  ASSERT_FALSE(dir.empty()) << "db/migrations not found";
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sql" && e.path().filename().string() < "0015") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string db = create_database("partmig");
  exec_sql(db, "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT "
               "now(), checksum TEXT)");
  for (auto& f : files) {
    exec_sql(db, read(f));
    exec_sql(db, "INSERT INTO schema_migrations (version) VALUES ('" + f.filename().string() + "')");
  }
  exec_sql(db, kUsageInsert + usage_row("u-old", "old/m", 100, "success", "'2025-01-15 08:00:00+00'", "old-1") + ", " +
                   usage_row("u-old", "old/m", 300, "success", "now() - interval '1 day'", "old-2") + ", " +
                   usage_row("u-old", "old/m", 500, "error", "'1999-06-01 00:00:00+00'", "old-3"));
  exec_sql(db, "INSERT INTO audit_logs (action, resource, details, created_at) VALUES ('old.one', 'r:1', '{\"a\":1}', "
               "'2025-02-01 00:00:00+00'), ('old.two', 'r:2', '{}', now())");
  auto before = exec_sql(db, "SELECT string_agg(id::text || created_at::text || request_id, ',' ORDER BY id) FROM usage_logs");
  {
    ServerOptions o;
    o.suite = "partmig";
    o.database_url = db;
    ServerProcess server(o);
    server.start();
    EXPECT_EQ(exec_sql(db, "SELECT string_agg(id::text || created_at::text || request_id, ',' ORDER BY id) FROM usage_logs"),
              before);
    EXPECT_EQ(partition_of(db, "usage_logs", "request_id = 'old-1'"), "usage_logs_p202501");
    EXPECT_EQ(partition_of(db, "usage_logs", "request_id = 'old-3'"), "usage_logs_p199906");
    EXPECT_EQ(partition_of(db, "audit_logs", "action = 'old.one'"), "audit_logs_p202502");
    EXPECT_EQ(exec_sql(db, "SELECT details::text FROM audit_logs WHERE action = 'old.one'"), "{\"a\": 1}");
    EXPECT_EQ(exec_sql(db, "SELECT to_regclass('usage_logs_unpartitioned')"), "");
    // The roll-ups were filled from the rows that existed.
    EXPECT_EQ(exec_sql(db, "SELECT sum(requests) || '/' || sum(errors) FROM usage_model_daily WHERE model_id = 'old/m'"),
              "3/1");
    HttpClient c(server.port());
    auto admin = login_admin(server).auth();
    auto logs = c.get("/api/usage/logs?userId=u-old", admin);
    ASSERT_EQ(logs.status, 200) << logs.body;
    EXPECT_EQ(logs.json()["meta"]["total"], 3);
    EXPECT_EQ(logs.json()["data"][0]["requestId"], "old-2");
    EXPECT_EQ(logs.json()["data"][2]["requestId"], "old-3");
    EXPECT_EQ(c.get("/api/admin/audit-logs?action=old.one", admin).json()["meta"]["total"], 1);
    server.stop();
  }
  drop_database(db);
}

// The server's job on its real clock: NETOPS_USAGE_RETENTION_MONTHS=3 keeps this month and the two before,
// drops older monthly partitions (with their rows) at start; audit_logs without a retention keeps all.
TEST(PartitionRetention, TheServerDropsMonthsPastRetentionAtStart) {
  std::string db = create_database("partret");
  {
    ServerOptions o;
    o.suite = "partret";
    o.database_url = db;
    ServerProcess first(o);
    first.start();
    first.stop();
  }
  const std::string month = "date_trunc('month', now() AT TIME ZONE 'UTC')";
  for (int back : {1, 2, 3, 7}) {
    std::string day = "(" + month + " - interval '" + std::to_string(back) + " month')::date";
    exec_sql(db, "SELECT netops_create_month_partition('usage_logs', " + day + ")");
    exec_sql(db, "SELECT netops_create_month_partition('audit_logs', " + day + ")");
    std::string at = "(" + day + "::timestamp + interval '1 day') AT TIME ZONE 'UTC'";
    exec_sql(db, kUsageInsert + usage_row("u-ret", "ret/m", 100, "success", at, "ret-" + std::to_string(back)));
    exec_sql(db, "INSERT INTO audit_logs (action, created_at) VALUES ('ret.test', " + at + ")");
  }
  exec_sql(db, kUsageInsert + usage_row("u-ret", "ret/m", 100, "success", "now()", "ret-0"));
  auto name = [&](int back) {
    return exec_sql(db, "SELECT 'usage_logs_p' || to_char(" + month + " - interval '" + std::to_string(back) +
                            " month', 'YYYYMM')");
  };
  std::string dropped1 = name(3), dropped2 = name(7), kept = name(2);
  ServerOptions o;
  o.suite = "partret";
  o.database_url = db;
  o.env["NETOPS_USAGE_RETENTION_MONTHS"] = "3";
  ServerProcess server(o);
  server.start();
  EXPECT_TRUE(eventually([&] { return exec_sql(db, "SELECT to_regclass('" + dropped1 + "')").empty(); }, 10000));
  EXPECT_EQ(exec_sql(db, "SELECT to_regclass('" + dropped2 + "')"), "");
  EXPECT_EQ(exec_sql(db, "SELECT to_regclass('" + kept + "')::text"), kept);
  EXPECT_EQ(exec_sql(db, "SELECT string_agg(request_id, ',' ORDER BY created_at) FROM usage_logs WHERE user_id = 'u-ret'"),
            "ret-2,ret-1,ret-0");
  EXPECT_EQ(exec_sql(db, "SELECT count(*) FROM audit_logs WHERE action = 'ret.test'"), "4");
  // The roll-ups keep the dropped months (reports and budgets of the past stay as they were).
  EXPECT_EQ(exec_sql(db, "SELECT sum(requests) FROM usage_model_daily WHERE model_id = 'ret/m'"), "5");
  // Retention by explicit date: a later "today" drops the months that fall out of the window.
  auto r = json::parse(exec_sql(db, "SELECT netops_maintain_partitions('usage_logs', (" + month +
                                        " + interval '1 month')::date, 0, 3)"));
  EXPECT_EQ(r["dropped"], json::array({kept}));
  server.stop();
  drop_database(db);
}

// A spill file replayed twice (its deletion lost after the first replay) is one usage row per record: the
// exactly-once marker (accounting_spill_files) is written in the same transaction as the partitioned rows.
TEST(PartitionAccounting, ASpillFileReplayedTwiceIsOneRowPerRecord) {
  std::string db = create_database("partspill");
  fs::path dir = fs::temp_directory_path() / ("netops-part-spill-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto line = [](const std::string& rid, long long at_us) {
    return json{{"user_id", "u-spill"}, {"model_id", "spill/m"}, {"provider", "p"}, {"request_id", rid}, {"tier", 0},
                {"prompt_tokens", 3}, {"completion_tokens", 4}, {"cache_read_tokens", 0}, {"cache_write_tokens", 0},
                {"cost", "0.000100000000"}, {"escalated", false}, {"success", true}, {"error_code", ""},
                {"estimated", false}, {"latency_ms", 42}, {"upstream_latency_ms", 40}, {"attempts", 1},
                {"at_us", at_us}, {"conversation_id", nullptr}, {"quality_score", nullptr}}
        .dump();
  };
  // One record now, one in a month far ahead (no partition: the default one).
  long long now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  std::string content = line("spill-now", now_us) + "\n" + line("spill-far", 2'250'000'000'000'000LL) + "\n";
  auto write_spill = [&] { std::ofstream(dir / "usage-1-1-1-0.jsonl") << content; };
  auto rows = [&] { return exec_sql(db, "SELECT count(*) FROM usage_logs WHERE user_id = 'u-spill'"); };
  for (int run = 0; run < 2; ++run) {
    write_spill();
    ServerOptions o;
    o.suite = "partspill";
    o.database_url = db;
    o.env["NETOPS_ACCOUNTING_SPILL_DIR"] = dir.string();
    o.env["NETOPS_ACCOUNTING_FLUSH_MS"] = "50";
    ServerProcess server(o);
    server.start();
    EXPECT_TRUE(eventually([&] { return !fs::exists(dir / "usage-1-1-1-0.jsonl"); }, 10000)) << server.output();
    EXPECT_EQ(rows(), "2") << "run " << run;
    server.stop();
  }
  EXPECT_EQ(exec_sql(db, "SELECT count(*) FROM accounting_spill_files"), "1");
  // (Where the far row lives depends on when the replay ran: the accounting may replay spill files while the
  // migrations are still being applied, so the row can reach the old table and be moved into its own month by
  // 0015; either way it is there once.)
  EXPECT_EQ(exec_sql(db, "SELECT count(*) FROM usage_logs WHERE request_id = 'spill-far'"), "1");
  EXPECT_EQ(exec_sql(db, "SELECT sum(requests) FROM usage_model_daily WHERE model_id = 'spill/m'"), "2");
  EXPECT_EQ(exec_sql(db, "SELECT sum(total_tokens) FROM user_token_stats WHERE user_id = 'u-spill'"), "14");
  fs::remove_all(dir);
  drop_database(db);
}
