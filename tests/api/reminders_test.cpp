// Reminders against the real server.
//   Reminders          one server, no background generation (NETOPS_REMINDER_INTERVAL_S=0): POST /run creates
//                      warranty_expiring and maintenance_due reminders once per (asset, type, due date), also
//                      when two runs overlap; the ui channel (unread inbox, /read), /cancel, reminders of
//                      disposed assets canceled, roles and filters.
//   ReminderWebhooks   three server processes on one database and one Redis, each running the job every
//                      second against a webhook receiver written here: every reminder arrives exactly once
//                      with a valid X-NetOps-Signature and its Idempotency-Key, and a receiver that answers
//                      500 twice gets it on the third attempt (attempts = 3, lastError kept).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "support/api.hpp"

using namespace netops::test;

namespace {

std::string hmac_hex(const std::string& key, const std::string& body) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), md, &len);
  std::string out;
  char b[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(b, sizeof b, "%02x", md[i]);
    out += b;
  }
  return out;
}

// A webhook receiver: a plain POSIX-socket HTTP/1.1 server on its own threads that records every request.
// status_for(reminder id, n-th request for that id) decides the answer (default 200).
class Receiver {
 public:
  struct Hit {
    std::string path, id, idempotency, signature, attempt, body;
  };
  Receiver() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 64) != 0)
      throw std::runtime_error("receiver: bind/listen failed");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~Receiver() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    accept_thread_.join();
    ::close(fd_);
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mu_);
      workers.swap(workers_);
    }
    for (auto& t : workers) t.join();
  }
  int port() const { return port_; }
  std::vector<Hit> hits() {
    std::lock_guard lock(mu_);
    return hits_;
  }
  std::vector<Hit> hits_for(const std::string& id) {
    std::vector<Hit> out;
    for (auto& h : hits())
      if (h.id == id) out.push_back(h);
    return out;
  }
  void set_status_for(std::function<int(const Hit&, int)> f) {
    std::lock_guard lock(mu_);
    status_for_ = std::move(f);
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::lock_guard lock(mu_);
      workers_.emplace_back([this, c] { serve(c); });
    }
  }
  static bool read_more(int c, std::string& buf) {
    char tmp[8192];
    pollfd p{c, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return false;
    auto n = ::recv(c, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, static_cast<std::size_t>(n));
    return true;
  }
  void serve(int c) {
    std::string buf;
    for (;;) {  // one request per loop; keep-alive until the client closes
      std::size_t end;
      while ((end = buf.find("\r\n\r\n")) == std::string::npos)
        if (!read_more(c, buf)) return void(::close(c));
      std::string head = buf.substr(0, end);
      std::map<std::string, std::string> h;
      std::size_t pos = head.find("\r\n");
      std::string line = head.substr(0, pos);
      while (pos != std::string::npos && pos < head.size()) {
        auto next = head.find("\r\n", pos + 2);
        auto l = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        auto colon = l.find(':');
        if (colon != std::string::npos) {
          std::string name = l.substr(0, colon);
          for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          auto v = l.substr(colon + 1);
          while (!v.empty() && v.front() == ' ') v.erase(0, 1);
          h[name] = v;
        }
        pos = next;
      }
      std::size_t length = h.count("content-length") ? std::stoul(h["content-length"]) : 0;
      while (buf.size() < end + 4 + length)
        if (!read_more(c, buf)) return void(::close(c));
      Hit hit;
      hit.path = line;
      hit.body = buf.substr(end + 4, length);
      buf.erase(0, end + 4 + length);
      hit.id = h["x-netops-reminder-id"];
      hit.idempotency = h["idempotency-key"];
      hit.signature = h["x-netops-signature"];
      hit.attempt = h["x-netops-delivery-attempt"];
      int status = 200;
      {
        std::lock_guard lock(mu_);
        int nth = 1;
        for (auto& x : hits_)
          if (x.id == hit.id) ++nth;
        hits_.push_back(hit);
        if (status_for_) status = status_for_(hit, nth);
      }
      std::string reply = status == 200 ? "{\"ok\":true}" : "{\"error\":\"try later\"}";
      std::string resp = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Internal Server Error") +
                         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.size()) +
                         "\r\n\r\n" + reply;
      if (::send(c, resp.data(), resp.size(), MSG_NOSIGNAL) < 0) return void(::close(c));
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<Hit> hits_;
  std::function<int(const Hit&, int)> status_for_;
};

HttpResponse call(int port, const std::string& token, const std::string& method, const std::string& path,
                  const json& body = nullptr) {
  HttpClient c(port);
  return c.request(method, path, body.is_null() ? "" : body.dump(), bearer(token));
}

// YYYY-MM-DD, today (UTC) + days.
std::string day(const std::string& db_url, int days) {
  return exec_sql(db_url, "SELECT ((now() AT TIME ZONE 'UTC')::date + " + std::to_string(days) + ")::text");
}

json make_asset(int port, const std::string& admin, json body) {
  if (!body.contains("assetCode")) body["assetCode"] = unique("R");
  auto r = call(port, admin, "POST", "/api/v1/assets", body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json();
}

// ---- one server, the job run by hand ------------------------------------------------------------

class Reminders : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "reminders";
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    o.env["NETOPS_REMINDER_INTERVAL_S"] = "0";  // generation only through POST /run: the tests decide when
    start_server(o, /*with_user=*/true);
  }
  json asset_with_warranty(int days_left, const std::string& prefix = "R") {
    return make_asset(server_->port(), admin_,
                      {{"assetCode", unique(prefix)},
                       {"purchaseDate", day(server_->database_url(), -300)},
                       {"warrantyEnd", day(server_->database_url(), days_left)}});
  }
  json run() {
    auto r = client.request("POST", "/api/v1/reminders/run", "", bearer(admin_));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  json reminders_of(const std::string& asset_id) {
    auto r = client.get("/api/v1/reminders?assetId=" + asset_id, bearer(admin_));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }
  static long count(const std::string& q) { return std::stol(sql(q)); }
};

TEST_F(Reminders, WarrantyRemindersAreCreatedOnceForAssetsInTheWindow) {
  auto in = asset_with_warranty(10);
  auto edge = asset_with_warranty(30);
  auto later = asset_with_warranty(31);
  auto expired = asset_with_warranty(-1);
  auto gone = asset_with_warranty(5);
  ASSERT_EQ(client.request("POST", "/api/v1/assets/" + gone["id"].get<std::string>() + "/status",
                           json{{"status", "disposed"}}.dump(), bearer(admin_))
                .status,
            200);
  auto first = run();
  EXPECT_GE(first["created"]["warrantyExpiring"].get<long>(), 2);
  auto rs = reminders_of(in["id"]);
  ASSERT_EQ(rs.size(), 1u) << rs.dump();
  EXPECT_EQ(rs[0]["type"], "warranty_expiring");
  EXPECT_EQ(rs[0]["dueDate"], in["warrantyEnd"]);
  EXPECT_EQ(rs[0]["assetCode"], in["assetCode"]);
  EXPECT_EQ(rs[0]["channel"], "ui");
  EXPECT_EQ(rs[0]["status"], "sent");  // the ui channel: listed
  EXPECT_EQ(rs[0]["read"], false);
  EXPECT_EQ(reminders_of(edge["id"]).size(), 1u);
  EXPECT_EQ(reminders_of(later["id"]).size(), 0u);
  EXPECT_EQ(reminders_of(expired["id"]).size(), 0u);
  EXPECT_EQ(reminders_of(gone["id"]).size(), 0u);

  auto second = run();
  EXPECT_EQ(second["created"]["warrantyExpiring"], 0);
  EXPECT_EQ(reminders_of(in["id"]).size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM audit_logs WHERE action = 'reminders.run'"), 2);
}

TEST_F(Reminders, TwoConcurrentRunsCreateEachReminderOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(asset_with_warranty(1 + i % 25)["id"].get<std::string>());
  auto runner = [&] { return call(server_->port(), admin_, "POST", "/api/v1/reminders/run"); };
  auto a = std::async(std::launch::async, runner);
  auto b = std::async(std::launch::async, runner);
  auto ra = a.get(), rb = b.get();
  ASSERT_EQ(ra.status, 200) << ra.body;
  ASSERT_EQ(rb.status, 200) << rb.body;
  EXPECT_EQ(ra.json()["created"]["warrantyExpiring"].get<long>() + rb.json()["created"]["warrantyExpiring"].get<long>(),
            20);
  for (auto& id : ids)
    EXPECT_EQ(count("SELECT count(*) FROM reminders WHERE asset_id = '" + id + "'"), 1) << id;
  // The unique index is the guarantee, not the job's care: a second row for the same key is refused.
  EXPECT_THROW(sql("INSERT INTO reminders (reminder_type, asset_id, due_at) SELECT reminder_type, asset_id, due_at "
                   "FROM reminders WHERE asset_id = '" + ids[0] + "'"),
               std::runtime_error);
}

TEST_F(Reminders, MaintenanceDueFromPurchaseDateOrTheLastClosedTicket) {
  auto model = sql("INSERT INTO asset_models (model, spec) VALUES ('" + unique("M") +
                   "', '{\"maintenanceIntervalDays\": 30}') RETURNING id");
  auto model_str = sql("INSERT INTO asset_models (model, spec) VALUES ('" + unique("M") +
                       "', '{\"maintenanceIntervalDays\": \"45\"}') RETURNING id");
  auto plain = sql("INSERT INTO asset_models (model, spec) VALUES ('" + unique("M") + "', '{}') RETURNING id");
  auto db = server_->database_url();
  auto overdue = make_asset(server_->port(), admin_, {{"modelId", model}, {"purchaseDate", day(db, -40)}});
  auto fresh = make_asset(server_->port(), admin_, {{"modelId", model}, {"purchaseDate", day(db, -10)}});
  auto by_string = make_asset(server_->port(), admin_, {{"modelId", model_str}, {"purchaseDate", day(db, -45)}});
  auto no_interval = make_asset(server_->port(), admin_, {{"modelId", plain}, {"purchaseDate", day(db, -400)}});
  auto maintained = make_asset(server_->port(), admin_, {{"modelId", model}, {"purchaseDate", day(db, -400)}});
  // maintained: a ticket closed 5 days ago → next maintenance in 25 days, no reminder yet.
  auto t = client.request("POST", "/api/v1/maintenance/tickets",
                          json{{"assetId", maintained["id"]}, {"title", "service"}, {"severity", "low"}}.dump(),
                          bearer(admin_));
  ASSERT_EQ(t.status, 201) << t.body;
  std::string tid = t.json()["id"];
  for (auto* s : {"in_progress", "closed"})
    ASSERT_EQ(client.request("POST", "/api/v1/maintenance/tickets/" + tid + "/status", json{{"status", s}}.dump(),
                             bearer(admin_))
                  .status,
              200);
  sql("UPDATE maintenance_tickets SET closed_at = now() - interval '5 days' WHERE id = '" + tid + "'");

  run();
  auto rs = reminders_of(overdue["id"]);
  ASSERT_EQ(rs.size(), 1u) << rs.dump();
  EXPECT_EQ(rs[0]["type"], "maintenance_due");
  EXPECT_EQ(rs[0]["dueDate"], day(db, -10));
  EXPECT_EQ(rs[0]["details"]["intervalDays"], 30);
  EXPECT_EQ(reminders_of(fresh["id"]).size(), 0u);
  ASSERT_EQ(reminders_of(by_string["id"]).size(), 1u);
  EXPECT_EQ(reminders_of(by_string["id"])[0]["dueDate"], day(db, 0));
  EXPECT_EQ(reminders_of(no_interval["id"]).size(), 0u);
  EXPECT_EQ(reminders_of(maintained["id"]).size(), 0u);

  // The last maintenance was 40 days ago after all: due 10 days ago, measured from it.
  sql("UPDATE maintenance_tickets SET closed_at = now() - interval '40 days' WHERE id = '" + tid + "'");
  run();
  rs = reminders_of(maintained["id"]);
  ASSERT_EQ(rs.size(), 1u) << rs.dump();
  EXPECT_EQ(rs[0]["dueDate"], day(db, -10));
  run();
  EXPECT_EQ(reminders_of(maintained["id"]).size(), 1u);
  EXPECT_EQ(reminders_of(overdue["id"]).size(), 1u);
}

TEST_F(Reminders, TheUiInboxReadAndCancel) {
  auto a = asset_with_warranty(3);
  auto b = asset_with_warranty(4);
  run();
  std::string ra = reminders_of(a["id"])[0]["id"], rb = reminders_of(b["id"])[0]["id"];
  auto unread = client.get("/api/v1/reminders?unread=true&pageSize=1000", bearer(admin_)).json()["data"].dump();
  EXPECT_NE(unread.find(ra), std::string::npos);

  auto g = client.get("/api/v1/reminders/" + ra, bearer(admin_));
  ASSERT_EQ(g.status, 200);
  ASSERT_FALSE(g.header("etag").empty());
  auto r = client.request("POST", "/api/v1/reminders/" + ra + "/read", "", bearer(admin_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["read"], true);
  auto read_at = r.json()["readAt"];
  EXPECT_FALSE(read_at.is_null());
  r = client.request("POST", "/api/v1/reminders/" + ra + "/read", "", bearer(admin_));
  EXPECT_EQ(r.json()["readAt"], read_at);  // idempotent
  unread = client.get("/api/v1/reminders?unread=true&pageSize=1000", bearer(admin_)).json()["data"].dump();
  EXPECT_EQ(unread.find(ra), std::string::npos);
  auto read = client.get("/api/v1/reminders?unread=false&assetId=" + a["id"].get<std::string>(), bearer(admin_));
  EXPECT_EQ(read.json()["meta"]["total"], 1);

  // A read ui reminder has done its job; an unread one can still be withdrawn.
  EXPECT_EQ(client.request("POST", "/api/v1/reminders/" + ra + "/cancel", "", bearer(admin_)).status, 409);
  r = client.request("POST", "/api/v1/reminders/" + rb + "/cancel", "", bearer(admin_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "canceled");
  EXPECT_FALSE(r.json()["canceledAt"].is_null());
  EXPECT_EQ(client.request("POST", "/api/v1/reminders/" + rb + "/cancel", "", bearer(admin_)).status, 409);
  unread = client.get("/api/v1/reminders?unread=true&pageSize=1000", bearer(admin_)).json()["data"].dump();
  EXPECT_EQ(unread.find(rb), std::string::npos);  // withdrawn from the inbox
  EXPECT_EQ(client.request("POST", "/api/v1/reminders/" + rb + "/read", "", bearer(admin_)).status, 200);
  // Stale If-Match.
  EXPECT_EQ(client.request("POST", "/api/v1/reminders/" + ra + "/read", "",
                           {{"Authorization", "Bearer " + admin_}, {"If-Match", "W/\"stale\""}})
                .status,
            412);
  EXPECT_EQ(count("SELECT count(*) FROM audit_logs WHERE action = 'reminder.canceled' AND resource = 'reminder:" + rb +
                  "'"),
            1);
}

TEST_F(Reminders, RemindersOfADisposedAssetAreCanceled) {
  auto a = asset_with_warranty(7);
  run();
  std::string rid = reminders_of(a["id"])[0]["id"];
  ASSERT_EQ(client.request("POST", "/api/v1/assets/" + a["id"].get<std::string>() + "/status",
                           json{{"status", "disposed"}}.dump(), bearer(admin_))
                .status,
            200);
  auto r = run();
  EXPECT_GE(r["canceled"].get<long>(), 1);
  auto g = client.get("/api/v1/reminders/" + rid, bearer(admin_));
  EXPECT_EQ(g.json()["status"], "canceled");
}

TEST_F(Reminders, RolesFiltersAndErrors) {
  EXPECT_EQ(client.get("/api/v1/reminders", bearer(user_)).status, 403);
  EXPECT_EQ(client.request("POST", "/api/v1/reminders/run", "", bearer(user_)).status, 403);
  EXPECT_EQ(client.get("/api/v1/reminders").status, 401);
  EXPECT_EQ(client.get("/api/v1/reminders/00000000-0000-4000-8000-000000000000", bearer(admin_)).status, 404);
  EXPECT_EQ(client.request("POST", "/api/v1/reminders/00000000-0000-4000-8000-000000000000/cancel", "", bearer(admin_))
                .status,
            404);
  for (auto* bad : {"status=done", "type=x", "assetId=1", "channel=sms", "unread=maybe", "sort=assetCode"})
    EXPECT_EQ(client.get(std::string("/api/v1/reminders?") + bad, bearer(admin_)).status, 400) << bad;
  auto a = asset_with_warranty(2);
  run();
  auto r = client.get("/api/v1/reminders?type=warranty_expiring&status=sent&channel=ui&assetId=" +
                          a["id"].get<std::string>(),
                      bearer(admin_));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["meta"]["total"], 1);
  r = client.get("/api/v1/reminders?type=maintenance_due&assetId=" + a["id"].get<std::string>(), bearer(admin_));
  EXPECT_EQ(r.json()["meta"]["total"], 0);
}

// ---- three instances and a webhook receiver -----------------------------------------------------

const std::string kSecret = "whsec-test-123";

class ReminderWebhooks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    receiver_ = new Receiver();
    // FLAKY-… assets: the receiver answers 500 to the first two deliveries of their reminders.
    receiver_->set_status_for([](const Receiver::Hit& h, int nth) {
      return h.body.find("\"FLAKY-") != std::string::npos && nth <= 2 ? 500 : 200;
    });
    ServerOptions o;
    o.suite = "reminder_webhooks";
    o.env = {{"NETOPS_RATE_LIMIT_FREE", "0"},
             {"NETOPS_REMINDER_INTERVAL_S", "1"},
             {"NETOPS_REMINDER_WEBHOOK_URL", "http://127.0.0.1:" + std::to_string(receiver_->port()) + "/hooks/netops"},
             {"NETOPS_REMINDER_WEBHOOK_SECRET", kSecret},
             {"NETOPS_REMINDER_RETRY_BASE_MS", "100"},
             {"NETOPS_REMINDER_RETRY_MAX_MS", "1000"},
             {"NETOPS_REMINDER_WEBHOOK_TIMEOUT_MS", "3000"}};
    servers_[0] = new ServerProcess(o);
    servers_[0]->start();
    for (int i = 1; i < 3; ++i) {
      ServerOptions more = o;
      more.database_url = servers_[0]->database_url();
      more.redis_url = servers_[0]->redis_url();
      servers_[i] = new ServerProcess(more);
      servers_[i]->start();
    }
    admin_ = login_admin(*servers_[0]).token;
  }
  static void TearDownTestSuite() {
    for (int i = 2; i >= 0; --i) delete servers_[i];  // the first owns the database: stopped last
    delete receiver_;
  }
  static std::string sql(const std::string& q) { return exec_sql(servers_[0]->database_url(), q); }
  json asset(const std::string& prefix, int days_left) {
    auto db = servers_[0]->database_url();
    return make_asset(servers_[0]->port(), admin_,
                      {{"assetCode", unique(prefix)}, {"purchaseDate", day(db, -100)},
                       {"warrantyEnd", day(db, days_left)}});
  }
  static inline Receiver* receiver_ = nullptr;
  static inline ServerProcess* servers_[3] = {nullptr, nullptr, nullptr};
  static inline std::string admin_;
};

TEST_F(ReminderWebhooks, ThreeInstancesDeliverEachReminderExactlyOnce) {
  std::vector<std::string> assets;
  for (int i = 0; i < 40; ++i) assets.push_back(asset("ONCE", 1 + i % 20)["id"].get<std::string>());
  std::string in_list;
  for (auto& a : assets) in_list += (in_list.empty() ? "'" : ", '") + a + "'";
  EXPECT_TRUE(eventually(
      [&] {
        auto sent = std::stol(sql("SELECT count(*) FROM reminders WHERE status = 'sent' AND asset_id IN (" + in_list + ")"));
        return sent == 40 ? testing::AssertionSuccess() : testing::AssertionFailure() << sent << " sent";
      },
      60000, "40 webhook reminders sent by three instances"));
  auto ids_text = sql("SELECT string_agg(id::text, ',') FROM reminders WHERE asset_id IN (" + in_list + ")");
  std::vector<std::string> ids;
  for (std::size_t p = 0; p < ids_text.size();) {
    auto c = ids_text.find(',', p);
    ids.push_back(ids_text.substr(p, c == std::string::npos ? std::string::npos : c - p));
    if (c == std::string::npos) break;
    p = c + 1;
  }
  ASSERT_EQ(ids.size(), 40u);
  for (auto& id : ids) {
    auto hits = receiver_->hits_for(id);
    ASSERT_EQ(hits.size(), 1u) << "reminder " << id << " was delivered " << hits.size() << " times";
    auto& h = hits[0];
    EXPECT_EQ(h.idempotency, id);
    EXPECT_EQ(h.signature, "sha256=" + hmac_hex(kSecret, h.body)) << h.body;
    EXPECT_EQ(h.path, "POST /hooks/netops HTTP/1.1");
    auto body = json::parse(h.body);
    EXPECT_EQ(body["id"], id);
    EXPECT_EQ(body["type"], "warranty_expiring");
    auto r = call(servers_[1]->port(), admin_, "GET", "/api/v1/reminders/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "sent");
    EXPECT_EQ(r.json()["channel"], "webhook");
    EXPECT_EQ(r.json()["attempts"], 1);
    EXPECT_FALSE(r.json()["sentAt"].is_null());
  }
  std::cout << "delivering instances: "
            << sql("SELECT string_agg(DISTINCT claimed_by, ', ') FROM reminders WHERE asset_id IN (" + in_list + ")")
            << "\n";
}

TEST_F(ReminderWebhooks, AReceiverThatFailsTwiceGetsItOnTheThirdTry) {
  auto a = asset("FLAKY", 12);
  std::string aid = a["id"];
  std::string rid;
  EXPECT_TRUE(eventually(
      [&] {
        auto s = sql("SELECT status FROM reminders WHERE asset_id = '" + aid + "'");
        return s == "sent" ? testing::AssertionSuccess() : testing::AssertionFailure() << "status '" << s << "'";
      },
      60000, "the flaky receiver's reminder sent"));
  rid = sql("SELECT id FROM reminders WHERE asset_id = '" + aid + "'");
  auto r = call(servers_[2]->port(), admin_, "GET", "/api/v1/reminders/" + rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["attempts"], 3);
  EXPECT_NE(r.json()["lastError"].get<std::string>().find("HTTP 500"), std::string::npos) << r.body;
  auto hits = receiver_->hits_for(rid);
  ASSERT_EQ(hits.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(hits[i].attempt, std::to_string(i + 1));
    EXPECT_EQ(hits[i].idempotency, rid);
    EXPECT_EQ(hits[i].body, hits[0].body);  // the same body every time: the receiver dedupes on the id
    EXPECT_EQ(hits[i].signature, "sha256=" + hmac_hex(kSecret, hits[i].body));
  }
}

}  // namespace
