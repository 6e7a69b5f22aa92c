// Repair orders from outside: codes, the transition table, the asset held in_repair and restored, parts
// issued through generated issue documents and returned through reversals, reservations while
// waiting_parts, costs and downtime, history.
#include <set>

#include "warehouse_fixture.hpp"

using namespace warehouse_test;

class Repair : public WarehouseApi {
 protected:
  static void SetUpTestSuite() { start("repair"); }
  json asset() {
    auto r = as_admin("POST", "/api/v1/assets", {{"assetCode", unique("RA")}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::string asset_status(const json& a) {
    return as_admin("GET", "/api/v1/assets/" + a["id"].get<std::string>()).json()["status"];
  }
  json order(const json& a, json extra = json::object()) {
    json body = {{"assetId", a["id"]}, {"title", "PSU failure"}, {"severity", "high"}};
    body.update(extra);
    auto r = as_admin("POST", "/api/v1/maintenance/repair-orders", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  HttpResponse status(const json& o, const std::string& s) {
    return as_admin("POST", "/api/v1/maintenance/repair-orders/" + o["id"].get<std::string>() + "/status",
                    {{"status", s}});
  }
  std::string base(const json& o) { return "/api/v1/maintenance/repair-orders/" + o["id"].get<std::string>(); }
};

TEST_F(Repair, OpenHoldsTheAssetAndClosingRestoresItWithDowntime) {
  auto a = asset();
  auto ci_type = sql("INSERT INTO cmdb_ci_types (code, name) VALUES ('" + unique("t") + "', 'Server') RETURNING id");
  auto ci = sql("INSERT INTO cmdb_cis (type_id, name, ci_code, asset_id) VALUES ('" + ci_type + "', 'srv', '" +
                unique("ci") + "', '" + a["id"].get<std::string>() + "') RETURNING id");
  auto o = order(a, {{"laborCost", "120.50"}});
  EXPECT_EQ(o["code"].get<std::string>().rfind("RO-", 0), 0u);
  EXPECT_EQ(o["code"].get<std::string>().size(), std::string("RO-2026-000001").size());
  EXPECT_EQ(o["status"], "open");
  EXPECT_EQ(o["ciId"], ci);
  EXPECT_EQ(o["repairType"], "internal");
  EXPECT_EQ(asset_status(a), "in_repair");
  auto bad = status(o, "closed");
  ASSERT_EQ(bad.status, 409) << bad.body;
  EXPECT_EQ(bad.json()["error"]["details"]["allowed"], json({"diagnosing", "canceled"}));
  ASSERT_EQ(status(o, "diagnosing").status, 200);
  ASSERT_EQ(status(o, "repaired").status, 200);
  auto closed = status(o, "closed");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["status"], "closed");
  EXPECT_GE(closed.json()["downtimeMinutes"].get<int>(), 0);
  EXPECT_FALSE(closed.json()["closedAt"].is_null());
  EXPECT_DOUBLE_EQ(closed.json()["totalCost"].get<double>(), 120.5);
  EXPECT_EQ(asset_status(a), "in_stock");
  EXPECT_EQ(as_admin("PATCH", base(o), {{"title", "x"}}).status, 409);
  EXPECT_EQ(status(o, "canceled").status, 409);
  auto hist = as_user("GET", base(o) + "/history").json()["data"];
  ASSERT_EQ(hist.size(), 4u);
  EXPECT_EQ(hist[3]["eventType"], "created");
  auto events = as_admin("GET", "/api/v1/assets/" + a["id"].get<std::string>() + "/events?pageSize=100").json()["data"];
  bool open_ev = false, close_ev = false;
  for (auto& e : events) {
    open_ev = open_ev || e["eventType"] == "REPAIR_OPEN";
    close_ev = close_ev || e["eventType"] == "REPAIR_CLOSE";
  }
  EXPECT_TRUE(open_ev && close_ev);
}

TEST_F(Repair, ValidationAndPermissions) {
  auto a = asset();
  auto r = as_admin("POST", "/api/v1/maintenance/repair-orders",
                    {{"assetId", a["id"]}, {"title", "t"}, {"severity", "urgent"}, {"repairType", "vendor"}});
  ASSERT_EQ(r.status, 400);
  std::set<std::string> fields;
  auto r_body = r.json();
  for (auto& e : r_body["error"]["details"]["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"severity", "vendorId"}));
  auto vendor = sql("INSERT INTO vendors (name) VALUES ('" + unique("V") + "') RETURNING id");
  auto v = order(a, {{"repairType", "vendor"}, {"vendorId", vendor}});
  EXPECT_EQ(v["vendorId"], vendor);
  auto missing = as_admin("POST", "/api/v1/maintenance/repair-orders",
                          {{"assetId", "00000000-0000-4000-8000-000000000000"}, {"title", "t"}, {"severity", "low"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(as_user("POST", "/api/v1/maintenance/repair-orders",
                    {{"assetId", a["id"]}, {"title", "t"}, {"severity", "low"}}).status, 403);
  EXPECT_EQ(as_user("GET", "/api/v1/maintenance/repair-orders?status=active").status, 200);
  EXPECT_EQ(as_user("GET", base(v)).status, 200);
}

TEST_F(Repair, PartsAreIssuedAndReturnedAndReservationsHold) {
  auto wh = warehouse("RW");
  auto p = part("PSU");
  receive(wh, p, 10, "40.00");
  receive(wh, p, 10, "50.00");  // average 45.00
  auto a = asset();
  auto o = order(a);
  // Reservations only while waiting_parts.
  EXPECT_EQ(as_admin("POST", base(o) + "/reservations", {{"partId", p}, {"warehouseId", wh}, {"qty", 3}}).status, 409);
  ASSERT_EQ(status(o, "diagnosing").status, 200);
  ASSERT_EQ(status(o, "waiting_parts").status, 200);
  auto res = as_admin("POST", base(o) + "/reservations", {{"partId", p}, {"warehouseId", wh}, {"qty", 5}});
  ASSERT_EQ(res.status, 201) << res.body;
  auto s = stock(wh, p);
  EXPECT_EQ(s["reserved"], 5);
  EXPECT_EQ(s["available"], 15);
  auto too_much = as_admin("POST", base(o) + "/reservations", {{"partId", p}, {"warehouseId", wh}, {"qty", 16}});
  ASSERT_EQ(too_much.status, 422);
  EXPECT_EQ(too_much.json()["error"]["code"], "NOT_ENOUGH_STOCK");
  // Nobody else can issue what the order holds.
  auto other = document("issue", wh, json::array({line(p, 16)}), true);
  ASSERT_EQ(other.status, 422);
  EXPECT_EQ(other.json()["error"]["details"]["available"], 15);

  // Adding the part issues it (consuming 2 of the 5 reserved) through a generated, posted issue document.
  auto added = as_admin("POST", base(o) + "/parts", {{"partId", p}, {"warehouseId", wh}, {"qty", 2}, {"action", "replace"}});
  ASSERT_EQ(added.status, 201) << added.body;
  auto pl = added.json();
  EXPECT_DOUBLE_EQ(pl["unitCost"].get<double>(), 45.0);
  ASSERT_TRUE(pl["stockDocumentId"].is_string());
  auto doc = as_user("GET", "/api/v1/warehouse/documents/" + pl["stockDocumentId"].get<std::string>()).json();
  EXPECT_EQ(doc["docType"], "issue");
  EXPECT_EQ(doc["status"], "posted");
  EXPECT_EQ(doc["refType"], "repair_order");
  EXPECT_EQ(doc["refId"], o["id"]);
  s = stock(wh, p);
  EXPECT_EQ(s["onHand"], 18);
  EXPECT_EQ(s["reserved"], 3);
  auto got = as_user("GET", base(o)).json();
  EXPECT_DOUBLE_EQ(got["partsCost"].get<double>(), 90.0);
  // The open reservation lines always equal what the order holds on the stock rows.
  auto held = [&] {
    return sql("SELECT coalesce(sum(CASE movement_type WHEN 'reserve' THEN qty ELSE -qty END), 0) FROM "
               "spare_part_movements WHERE ref_type = 'repair_order' AND ref_id = '" + o["id"].get<std::string>() +
               "' AND movement_type IN ('reserve', 'release')");
  };
  auto open_lines = [&] {
    return sql("SELECT coalesce(sum(qty), 0) FROM repair_order_reservations WHERE status = 'open' AND "
               "repair_order_id = '" + o["id"].get<std::string>() + "'");
  };
  EXPECT_EQ(held(), "3");
  EXPECT_EQ(open_lines(), "3");

  // A non-stocked part line (vendor supplied) counts in the cost without touching stock.
  auto extra = as_admin("POST", base(o) + "/parts", {{"partName", "fan kit"}, {"qty", 1}, {"unitCost", "12.25"}});
  ASSERT_EQ(extra.status, 201) << extra.body;
  EXPECT_DOUBLE_EQ(as_user("GET", base(o)).json()["partsCost"].get<double>(), 102.25);

  // Removing the stocked line returns it through a reversal of its issue document.
  auto removed = as_admin("DELETE", base(o) + "/parts/" + pl["id"].get<std::string>());
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.json()["returned"].get<bool>());
  auto rev_id = removed.json()["returnDocumentId"].get<std::string>();
  auto rev = as_user("GET", "/api/v1/warehouse/documents/" + rev_id).json();
  EXPECT_EQ(rev["reversalOfId"], pl["stockDocumentId"]);
  EXPECT_EQ(stock(wh, p)["onHand"], 20);
  EXPECT_DOUBLE_EQ(stock(wh, p)["avgCost"].get<double>(), 45.0);
  EXPECT_DOUBLE_EQ(as_user("GET", base(o)).json()["partsCost"].get<double>(), 12.25);
  EXPECT_EQ(as_admin("DELETE", base(o) + "/parts/" + pl["id"].get<std::string>()).status, 409);

  // Canceling releases what is still reserved and restores the asset.
  auto canceled = status(o, "canceled");
  ASSERT_EQ(canceled.status, 200) << canceled.body;
  EXPECT_EQ(stock(wh, p)["reserved"], 0);
  EXPECT_EQ(held(), "0");
  EXPECT_EQ(open_lines(), "0");
  EXPECT_EQ(asset_status(a), "in_stock");
  EXPECT_EQ(as_admin("POST", base(o) + "/parts", {{"partId", p}, {"warehouseId", wh}, {"qty", 1}}).status, 409);
  expect_ledger_balanced();
}

TEST_F(Repair, ReleasingAReservationAndIssuingMoreThanStock) {
  auto wh = warehouse("RX");
  auto p = part("DISK");
  receive(wh, p, 4, "10.00");
  auto o = order(asset());
  ASSERT_EQ(status(o, "diagnosing").status, 200);
  ASSERT_EQ(status(o, "waiting_parts").status, 200);
  auto res = as_admin("POST", base(o) + "/reservations", {{"partId", p}, {"warehouseId", wh}, {"qty", 4}}).json();
  auto rel = as_admin("DELETE", base(o) + "/reservations/" + res["id"].get<std::string>());
  ASSERT_EQ(rel.status, 200) << rel.body;
  EXPECT_EQ(rel.json()["status"], "released");
  EXPECT_EQ(stock(wh, p)["reserved"], 0);
  EXPECT_EQ(as_admin("DELETE", base(o) + "/reservations/" + res["id"].get<std::string>()).status, 409);
  auto big = as_admin("POST", base(o) + "/parts", {{"partId", p}, {"warehouseId", wh}, {"qty", 5}});
  ASSERT_EQ(big.status, 422) << big.body;
  EXPECT_EQ(big.json()["error"]["details"]["available"], 4);
  EXPECT_EQ(as_user("GET", base(o) + "/parts").json()["data"].size(), 0u);
  expect_ledger_balanced();
}

TEST_F(Repair, AttachmentsOnOrdersAndDocumentsAreVersioned) {
  auto o = order(asset());
  auto upload = [&](const std::string& base_path, const std::string& name, const std::string& content) {
    std::string b = "----netopsboundary";
    std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
                       "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" + b + "--\r\n";
    auto h = bearer(admin_);
    h.emplace_back("Content-Type", "multipart/form-data; boundary=" + b);
    return client.request("POST", base_path + "/attachments", body, h);
  };
  auto first = upload(base(o), "report.txt", "first version");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["version"], 1);
  auto second = upload(base(o), "report.txt", "second version");
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.json()["version"], 2);
  auto list = as_user("GET", base(o) + "/attachments");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["meta"]["total"], 2);
  auto dl = as_user("GET", base(o) + "/attachments/" + first.json()["id"].get<std::string>() + "/download");
  ASSERT_EQ(dl.status, 200);
  EXPECT_EQ(dl.body, "first version");
  EXPECT_EQ(as_admin("DELETE", base(o) + "/attachments/" + first.json()["id"].get<std::string>()).status, 204);
  EXPECT_EQ(as_user("GET", base(o) + "/attachments").json()["meta"]["total"], 1);
  auto unknown = upload("/api/v1/maintenance/repair-orders/00000000-0000-4000-8000-000000000000", "x.txt", "x");
  EXPECT_EQ(unknown.status, 404);

  auto wh = warehouse("AT");
  auto p = part("AT");
  auto doc = receive(wh, p, 1, "1.00");
  auto on_doc = upload("/api/v1/warehouse/documents/" + doc["id"].get<std::string>(), "delivery-note.pdf", "%PDF-1.4 x");
  ASSERT_EQ(on_doc.status, 201) << on_doc.body;
  auto hist = as_user("GET", "/api/v1/warehouse/documents/" + doc["id"].get<std::string>() + "/history").json()["data"];
  EXPECT_EQ(hist[0]["eventType"], "attachment_added");
}
