// Warehouse from outside: warehouses and parts, each document type, shortfalls, the moving average on a
// worked example, reversal, drafts, the ledger, the reports — the real binary on a fresh database.
#include <set>

#include <algorithm>

#include "warehouse_fixture.hpp"

using namespace warehouse_test;

class WarehouseDocs : public WarehouseApi {
 protected:
  static void SetUpTestSuite() { start("warehouse_docs"); }
};

TEST_F(WarehouseDocs, WarehousesAndPartsCrud) {
  auto code = unique("WHC");
  auto r = as_admin("POST", "/api/v1/warehouse/warehouses", {{"code", code}, {"name", "Main"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto wh = r.json()["id"].get<std::string>();
  EXPECT_FALSE(r.header("etag").empty());
  EXPECT_EQ(as_admin("POST", "/api/v1/warehouse/warehouses", {{"code", code}, {"name", "Again"}}).status, 409);
  EXPECT_EQ(as_user("POST", "/api/v1/warehouse/warehouses", {{"code", unique("U")}, {"name", "x"}}).status, 403);
  EXPECT_EQ(client.get("/api/v1/warehouse/warehouses").status, 401);
  auto list = as_user("GET", "/api/v1/warehouse/warehouses?search=" + code);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["meta"]["total"], 1);

  auto bad = as_admin("POST", "/api/v1/warehouse/parts", {{"name", "x"}, {"minLevel", -1}, {"uom", ""}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::set<std::string> fields;
  auto bad_body = bad.json();
  for (auto& e : bad_body["error"]["details"]["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"partCode", "minLevel", "uom"}));
  auto pcode = unique("PC");
  auto p = as_admin("POST", "/api/v1/warehouse/parts",
                    {{"partCode", pcode}, {"name", "SFP+ 10G LR"}, {"uom", "pcs"}, {"minLevel", 4},
                     {"spec", {{"wavelength", 1310}}}, {"manufacturer", "Cisco"}});
  ASSERT_EQ(p.status, 201) << p.body;
  auto made = p.json();
  EXPECT_EQ(made["minLevel"], 4);
  EXPECT_EQ(made["spec"]["wavelength"], 1310);
  EXPECT_EQ(as_admin("POST", "/api/v1/warehouse/parts", {{"partCode", pcode}, {"name", "dup"}}).status, 409);
  auto pid = made["id"].get<std::string>();
  // If-Match: a stale ETag is 412.
  auto get = as_user("GET", "/api/v1/warehouse/parts/" + pid);
  auto etag = get.header("etag");
  EXPECT_EQ(as_admin("PATCH", "/api/v1/warehouse/parts/" + pid, {{"minLevel", 5}}, {{"If-Match", etag}}).status, 200);
  EXPECT_EQ(as_admin("PATCH", "/api/v1/warehouse/parts/" + pid, {{"minLevel", 6}}, {{"If-Match", etag}}).status, 412);

  // Delete with stock or movements: 409 naming them; an unused one goes.
  receive(wh, pid, 3, "1.00");
  auto del = as_admin("DELETE", "/api/v1/warehouse/parts/" + pid);
  ASSERT_EQ(del.status, 409) << del.body;
  EXPECT_EQ(del.json()["error"]["details"]["stock"], 1);
  EXPECT_GE(del.json()["error"]["details"]["movements"].get<int>(), 1);
  EXPECT_NE(del.json()["error"]["message"].get<std::string>().find("movement"), std::string::npos);
  auto delw = as_admin("DELETE", "/api/v1/warehouse/warehouses/" + wh);
  ASSERT_EQ(delw.status, 409);
  EXPECT_EQ(delw.json()["error"]["details"]["documents"], 1);
  auto spare = part("GONE");
  EXPECT_EQ(as_admin("DELETE", "/api/v1/warehouse/parts/" + spare).status, 204);
  EXPECT_EQ(as_user("GET", "/api/v1/warehouse/parts/" + spare).status, 404);
  auto hist = as_user("GET", "/api/v1/warehouse/parts/" + pid + "/history");
  ASSERT_EQ(hist.status, 200);
  EXPECT_EQ(hist.json()["data"][0]["eventType"], "updated");
}

TEST_F(WarehouseDocs, EachDocumentTypeMovesStock) {
  auto a = warehouse("A"), b = warehouse("B");
  auto p = part();
  auto rec = receive(a, p, 10, "4.00");
  EXPECT_EQ(rec["status"], "posted");
  EXPECT_EQ(rec["code"].get<std::string>().rfind("SD-", 0), 0u);
  EXPECT_EQ(rec["code"].get<std::string>().size(), std::string("SD-2026-000001").size());
  EXPECT_EQ(stock(a, p)["onHand"], 10);

  posted("issue", a, json::array({line(p, 3)}));
  EXPECT_EQ(stock(a, p)["onHand"], 7);
  posted("adjust", a, json::array({line(p, 2, {{"adjustDirection", "minus"}})}));
  EXPECT_EQ(stock(a, p)["onHand"], 5);
  posted("adjust", a, json::array({line(p, 1, {{"adjustDirection", "plus"}})}));
  EXPECT_EQ(stock(a, p)["onHand"], 6);
  auto tr = posted("transfer", a, json::array({line(p, 4)}), {{"targetWarehouseId", b}});
  EXPECT_EQ(stock(a, p)["onHand"], 2);
  EXPECT_EQ(stock(b, p)["onHand"], 4);

  auto moves = as_user("GET", "/api/v1/warehouse/movements?partId=" + p);
  ASSERT_EQ(moves.status, 200) << moves.body;
  std::vector<std::string> types;
  auto moves_body = moves.json();
  for (auto& m : moves_body["data"]) types.push_back(m["movementType"]);
  EXPECT_EQ(types, (std::vector<std::string>{"in", "out", "adjust_out", "adjust_in", "transfer_out", "transfer_in"}));
  // One movement per effect, each pointing at its document.
  auto tr_moves = as_user("GET", "/api/v1/warehouse/movements?refId=" + tr["id"].get<std::string>());
  ASSERT_EQ(tr_moves.json()["data"].size(), 2u);
  EXPECT_EQ(tr_moves.json()["data"][0]["refCode"], tr["code"]);
  expect_ledger_balanced();
}

TEST_F(WarehouseDocs, ShortfallIs422NamingPartWarehouseAvailableAndAsked) {
  auto a = warehouse("S"), b = warehouse("T");
  auto p = part("SHORT"), q = part("OK");
  receive(a, p, 5, "2.00");
  receive(a, q, 50, "1.00");
  auto r = document("issue", a, json::array({line(q, 10), line(p, 7)}), true);
  ASSERT_EQ(r.status, 422) << r.body;
  auto err = r.json()["error"];
  EXPECT_EQ(err["code"], "NOT_ENOUGH_STOCK");
  EXPECT_EQ(err["details"]["partId"], p);
  EXPECT_EQ(err["details"]["warehouseId"], a);
  EXPECT_EQ(err["details"]["available"], 5);
  EXPECT_EQ(err["details"]["requested"], 7);
  auto msg = err["message"].get<std::string>();
  EXPECT_NE(msg.find(err["details"]["partCode"].get<std::string>()), std::string::npos) << msg;
  EXPECT_NE(msg.find(err["details"]["warehouseCode"].get<std::string>()), std::string::npos) << msg;
  EXPECT_NE(msg.find("available 5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("asked 7"), std::string::npos) << msg;
  // Nothing of the refused posting stays: no document, no movement, the other line's stock untouched.
  EXPECT_EQ(stock(a, q)["onHand"], 50);
  EXPECT_EQ(sql("SELECT count(*) FROM stock_documents WHERE warehouse_id = '" + a + "' AND doc_type = 'issue'"), "0");
  // Draft then /post: the same 422 and the draft stays a draft.
  auto draft = document("transfer", a, json::array({line(p, 6)}), false, {{"targetWarehouseId", b}});
  ASSERT_EQ(draft.status, 201) << draft.body;
  auto id = draft.json()["id"].get<std::string>();
  auto post = as_admin("POST", "/api/v1/warehouse/documents/" + id + "/post");
  EXPECT_EQ(post.status, 422);
  EXPECT_EQ(as_user("GET", "/api/v1/warehouse/documents/" + id).json()["status"], "draft");
  EXPECT_EQ(as_user("POST", "/api/v1/warehouse/documents/" + id + "/post").status, 403);
  expect_ledger_balanced();
}

// Moving weighted average, by hand:
//   receipt 10 @ 5.00                → 10 @ 5.0000, value 50.00
//   receipt 30 @ 7.00                → (50 + 210) / 40 = 6.5000, value 260.00
//   issue 15                         → out at 6.50 (97.50); 25 @ 6.5000, value 162.50
//   transfer 5 to B                  → out at 6.50; A 20 @ 6.5000 (130.00); B 5 @ 6.5000 (32.50)
//   receipt 5 @ 9.10                 → (130 + 45.50) / 25 = 7.0200, value 175.50
//   reverse that receipt             → (175.50 − 45.50) / 20 = 6.5000, value 130.00: value restored
//   receipt 3 @ 1.00 into B          → (32.50 + 3.00) / 8 = 4.4375, value 35.50
TEST_F(WarehouseDocs, MovingAverageWorkedExample) {
  auto a = warehouse("MA"), b = warehouse("MB");
  auto p = part("AVG");
  receive(a, p, 10, "5.00");
  EXPECT_DOUBLE_EQ(stock(a, p)["avgCost"].get<double>(), 5.0);
  receive(a, p, 30, "7.00");
  auto s = stock(a, p);
  EXPECT_EQ(s["onHand"], 40);
  EXPECT_EQ(sql("SELECT avg_cost FROM spare_part_stock WHERE warehouse_id = '" + a + "' AND part_id = '" + p + "'"),
            "6.5000");
  auto issue = posted("issue", a, json::array({line(p, 15)}));
  EXPECT_EQ(sql("SELECT unit_cost FROM spare_part_movements WHERE ref_id = '" + issue["id"].get<std::string>() + "'"),
            "6.5000");
  s = stock(a, p);
  EXPECT_EQ(s["onHand"], 25);
  EXPECT_DOUBLE_EQ(s["value"].get<double>(), 162.5);
  posted("transfer", a, json::array({line(p, 5)}), {{"targetWarehouseId", b}});
  EXPECT_EQ(sql("SELECT avg_cost FROM spare_part_stock WHERE warehouse_id = '" + b + "' AND part_id = '" + p + "'"),
            "6.5000");
  auto late = receive(a, p, 5, "9.10");
  EXPECT_EQ(sql("SELECT avg_cost FROM spare_part_stock WHERE warehouse_id = '" + a + "' AND part_id = '" + p + "'"),
            "7.0200");
  EXPECT_DOUBLE_EQ(stock(a, p)["value"].get<double>(), 175.5);
  auto rev = as_admin("POST", "/api/v1/warehouse/documents/" + late["id"].get<std::string>() + "/reverse");
  ASSERT_EQ(rev.status, 201) << rev.body;
  EXPECT_EQ(sql("SELECT avg_cost FROM spare_part_stock WHERE warehouse_id = '" + a + "' AND part_id = '" + p + "'"),
            "6.5000");
  s = stock(a, p);
  EXPECT_EQ(s["onHand"], 20);
  EXPECT_DOUBLE_EQ(s["value"].get<double>(), 130.0);
  receive(b, p, 3, "1.00");
  EXPECT_EQ(sql("SELECT avg_cost FROM spare_part_stock WHERE warehouse_id = '" + b + "' AND part_id = '" + p + "'"),
            "4.4375");
  auto val = as_user("GET", "/api/v1/warehouse/reports/valuation");
  ASSERT_EQ(val.status, 200) << val.body;
  double a_value = 0, b_value = 0;
  auto val_body = val.json();
  for (auto& row : val_body["rows"]) {
    if (row["partId"] != p) continue;
    (row["warehouseId"] == a ? a_value : b_value) = row["value"].get<double>();
  }
  EXPECT_DOUBLE_EQ(a_value, 130.0);
  EXPECT_DOUBLE_EQ(b_value, 35.5);
  expect_ledger_balanced();
}

TEST_F(WarehouseDocs, ReversalUndoesAndIsLinkedBothWays) {
  auto a = warehouse("RV"), b = warehouse("RW");
  auto p = part("REV");
  auto rec = receive(a, p, 10, "3.00");
  auto tr = posted("transfer", a, json::array({line(p, 4)}), {{"targetWarehouseId", b}});
  auto rev = as_admin("POST", "/api/v1/warehouse/documents/" + tr["id"].get<std::string>() + "/reverse");
  ASSERT_EQ(rev.status, 201) << rev.body;
  auto r = rev.json();
  EXPECT_EQ(r["status"], "posted");
  EXPECT_EQ(r["reversalOfId"], tr["id"]);
  EXPECT_NE(r["code"], tr["code"]);
  auto orig = as_user("GET", "/api/v1/warehouse/documents/" + tr["id"].get<std::string>()).json();
  EXPECT_EQ(orig["reversedById"], r["id"]);
  EXPECT_EQ(orig["status"], "posted");
  EXPECT_EQ(stock(a, p)["onHand"], 10);
  EXPECT_EQ(stock(b, p)["onHand"], 0);
  // Twice: 409. A draft: 409.
  EXPECT_EQ(as_admin("POST", "/api/v1/warehouse/documents/" + tr["id"].get<std::string>() + "/reverse").status, 409);
  auto draft = document("issue", a, json::array({line(p, 1)}), false).json();
  EXPECT_EQ(as_admin("POST", "/api/v1/warehouse/documents/" + draft["id"].get<std::string>() + "/reverse").status, 409);
  // A reversal that would drive stock negative is refused like any posting.
  posted("issue", a, json::array({line(p, 8)}));
  auto neg = as_admin("POST", "/api/v1/warehouse/documents/" + rec["id"].get<std::string>() + "/reverse");
  ASSERT_EQ(neg.status, 422) << neg.body;
  EXPECT_EQ(neg.json()["error"]["code"], "NOT_ENOUGH_STOCK");
  EXPECT_EQ(neg.json()["error"]["details"]["available"], 2);
  EXPECT_EQ(neg.json()["error"]["details"]["requested"], 10);
  EXPECT_TRUE(as_user("GET", "/api/v1/warehouse/documents/" + rec["id"].get<std::string>()).json()["reversedById"].is_null());
  auto hist = as_user("GET", "/api/v1/warehouse/documents/" + tr["id"].get<std::string>() + "/history").json()["data"];
  ASSERT_GE(hist.size(), 3u);
  EXPECT_EQ(hist[0]["eventType"], "reversed");
  expect_ledger_balanced();
}

TEST_F(WarehouseDocs, DraftsAreEditableAndPostedOrCanceledAreNot) {
  auto a = warehouse("D"), b = warehouse("E");
  auto p = part("DR"), q = part("DQ");
  receive(a, p, 20, "1.50");
  auto same = document("transfer", a, json::array({line(p, 1)}), false, {{"targetWarehouseId", a}});
  ASSERT_EQ(same.status, 400) << same.body;
  EXPECT_EQ(same.json()["error"]["details"]["errors"][0]["field"], "targetWarehouseId");
  auto no_target = document("transfer", a, json::array({line(p, 1)}), false);
  EXPECT_EQ(no_target.status, 400);
  auto no_dir = document("adjust", a, json::array({line(p, 1)}), false);
  ASSERT_EQ(no_dir.status, 400);
  EXPECT_EQ(no_dir.json()["error"]["details"]["errors"][0]["field"], "lines[0].adjustDirection");
  auto bad_line = document("issue", a, json::array({line(p, 0)}), false);
  ASSERT_EQ(bad_line.status, 400);
  EXPECT_EQ(bad_line.json()["error"]["details"]["errors"][0]["field"], "lines[0].qty");

  auto d = document("transfer", a, json::array({line(p, 2)}), false, {{"targetWarehouseId", b}, {"code", unique("MY")}});
  ASSERT_EQ(d.status, 201) << d.body;
  auto id = d.json()["id"].get<std::string>();
  auto base = "/api/v1/warehouse/documents/" + id;
  EXPECT_EQ(d.json()["status"], "draft");
  auto added = as_admin("POST", base + "/lines", line(q, 1));
  ASSERT_EQ(added.status, 201) << added.body;
  auto line_id = added.json()["id"].get<std::string>();
  EXPECT_EQ(as_admin("PATCH", base + "/lines/" + line_id, {{"partId", p}, {"qty", 3}}).status, 200);
  auto etag = as_user("GET", base).header("etag");
  auto patched = as_admin("PATCH", base, {{"note", "moving"}, {"lines", json::array({line(p, 5)})}}, {{"If-Match", etag}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["lines"].size(), 1u);
  EXPECT_EQ(as_admin("PATCH", base, {{"note", "stale"}}, {{"If-Match", etag}}).status, 412);
  auto post = as_admin("POST", base + "/post");
  ASSERT_EQ(post.status, 200) << post.body;
  EXPECT_EQ(stock(b, p)["onHand"], 5);
  // Posted: immutable.
  EXPECT_EQ(as_admin("PATCH", base, {{"note", "x"}}).status, 409);
  EXPECT_EQ(as_admin("POST", base + "/lines", line(p, 1)).status, 409);
  EXPECT_EQ(as_admin("DELETE", base).status, 409);
  EXPECT_EQ(as_admin("POST", base + "/post").status, 409);
  EXPECT_EQ(as_admin("POST", base + "/cancel").status, 409);
  // Canceled: immutable too; delete of a draft works.
  auto c = document("issue", a, json::array({line(p, 1)}), false).json();
  auto cbase = "/api/v1/warehouse/documents/" + c["id"].get<std::string>();
  auto canceled = as_admin("POST", cbase + "/cancel");
  ASSERT_EQ(canceled.status, 200);
  EXPECT_EQ(canceled.json()["status"], "canceled");
  EXPECT_EQ(as_admin("POST", cbase + "/post").status, 409);
  EXPECT_EQ(as_admin("PATCH", cbase, {{"note", "x"}}).status, 409);
  auto gone = document("issue", a, json::array({line(p, 1)}), false).json();
  EXPECT_EQ(as_admin("DELETE", "/api/v1/warehouse/documents/" + gone["id"].get<std::string>()).status, 204);
  auto empty = document("issue", a, json::array(), false).json();
  EXPECT_EQ(as_admin("POST", "/api/v1/warehouse/documents/" + empty["id"].get<std::string>() + "/post").status, 422);
  auto listed = as_user("GET", "/api/v1/warehouse/documents?status=canceled&warehouseId=" + a);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["meta"]["total"], 1);
}

TEST_F(WarehouseDocs, LedgerKeysetPagingCsvAndReports) {
  auto a = warehouse("L");
  auto p = part("LED", 30), never = part("NEVER", 2);
  for (int i = 0; i < 5; ++i) receive(a, p, 2, "1.00");
  auto page1 = as_user("GET", "/api/v1/warehouse/movements?partId=" + p + "&pageSize=2").json();
  ASSERT_EQ(page1["data"].size(), 2u);
  auto after = page1["meta"]["nextAfter"].get<std::string>();
  auto page2 = as_user("GET", "/api/v1/warehouse/movements?partId=" + p + "&pageSize=2&after=" + after).json();
  ASSERT_EQ(page2["data"].size(), 2u);
  EXPECT_GT(page2["data"][0]["seq"].get<long long>(), page1["data"][1]["seq"].get<long long>());
  auto csv = as_user("GET", "/api/v1/warehouse/movements?partId=" + p + "&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 6);
  auto exp = as_user("GET", "/api/v1/warehouse/movements/export?partId=" + p);
  ASSERT_EQ(exp.status, 200);
  EXPECT_EQ(std::count(exp.body.begin(), exp.body.end(), '\n'), 6);
  EXPECT_EQ(as_user("GET", "/api/v1/warehouse/movements?type=bogus").status, 400);

  auto reorder = as_user("GET", "/api/v1/warehouse/reports/reorder?pageSize=1000").json()["data"];
  bool saw_p = false, saw_never = false;
  for (auto& r : reorder) {
    if (r["partId"] == p) {
      saw_p = true;
      EXPECT_EQ(r["available"], 10);
      EXPECT_EQ(r["shortage"], 20);
    }
    if (r["partId"] == never) {
      saw_never = true;
      EXPECT_TRUE(r["neverStocked"].get<bool>());
    }
  }
  EXPECT_TRUE(saw_p);
  EXPECT_TRUE(saw_never);
  auto below = as_user("GET", "/api/v1/warehouse/stock?belowMin=true&warehouseId=" + a).json();
  EXPECT_EQ(below["meta"]["total"], 1);
  auto val = as_user("GET", "/api/v1/warehouse/reports/valuation?warehouseId=" + a).json();
  EXPECT_DOUBLE_EQ(val["totals"]["value"].get<double>(), 10.0);
  EXPECT_EQ(val["totals"]["quantity"], 10);
  expect_ledger_balanced();
}
