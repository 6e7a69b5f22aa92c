#include "modules/workflow/workflow_repo.hpp"

#include "db/where.hpp"

namespace netops::workflow {

namespace q {
const std::string kSelect = std::string("SELECT ") + kRequestColumns + " FROM workflow_requests";
const std::string kFindSql = kSelect + " WHERE id = $1";
const std::string kLockSql = kSelect + " WHERE id = $1 FOR UPDATE";
const std::string kInsertSql =
    std::string("INSERT INTO workflow_requests (request_type, asset_id, from_dept, to_dept, requested_by, status, "
                "payload, correlation_id) VALUES ($1, $2, $3, $4, $5, 'submitted', $6::jsonb, $7) RETURNING ") +
    kRequestColumns;
const std::string kStateSql = std::string("UPDATE workflow_requests SET status = $2, payload = $3::jsonb, "
                                          "approved_by = COALESCE($4, approved_by), updated_at = now() "
                                          "WHERE id = $1 RETURNING ") +
                              kRequestColumns;
const db::Query kFind{"workflow.find", kFindSql};
const db::Query kLock{"workflow.lock", kLockSql};
const db::Query kInsert{"workflow.insert", kInsertSql};
const db::Query kState{"workflow.update_state", kStateSql};
constexpr db::Query kAssetExists{"workflow.asset_exists", "SELECT 1 FROM assets WHERE id = $1"};
constexpr db::Query kLocationExists{"workflow.location_exists", "SELECT 1 FROM locations WHERE id = $1"};
}  // namespace q

namespace {
std::optional<WorkflowRequest> first(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return request_from_row(r.front());
}
}  // namespace

Task<db::Page<WorkflowRequest>> WorkflowRepo::list(const RequestFilter& f, const db::PageRequest& p,
                                                   const db::Sort& s) {
  db::Where w;
  w.eq("status", f.status);
  w.eq("request_type", f.request_type);
  w.eq("asset_id", f.asset_id);
  w.eq("requested_by", f.requested_by);
  auto sql = std::string("SELECT ") + kRequestColumns + ", count(*) OVER () AS total FROM workflow_requests" + w.sql();
  sql += w.order_and_window(s, p, "id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<WorkflowRequest>(rows, p, request_from_row);
}

Task<std::optional<WorkflowRequest>> WorkflowRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kFind, db::Params(id));
  co_return first(r);
}

Task<std::optional<WorkflowRequest>> WorkflowRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLock, db::Params(id));
  co_return first(r);
}

Task<WorkflowRequest> WorkflowRepo::insert(db::Tx& tx, const NewRequest& in, const Caller& by) {
  auto r = co_await tx.query(q::kInsert, db::Params(in.request_type, in.asset_id, in.from_dept, in.to_dept, by.user_id,
                                                    in.payload, by.request_id));
  co_return request_from_row(r.front());
}

Task<WorkflowRequest> WorkflowRepo::update_state(db::Tx& tx, const std::string& id, const std::string& status,
                                                 const nlohmann::json& payload,
                                                 const std::optional<std::string>& approved_by) {
  auto r = co_await tx.query(q::kState, db::Params(id, status, payload, approved_by));
  co_return request_from_row(r.front());
}

Task<bool> WorkflowRepo::asset_exists(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kAssetExists, db::Params(id));
  co_return !r.empty();
}

Task<bool> WorkflowRepo::location_exists(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLocationExists, db::Params(id));
  co_return !r.empty();
}

}  // namespace netops::workflow
