#include "modules/ops_events/ops_event_repo.hpp"

#include "db/where.hpp"

namespace netops::ops_events {

namespace q {
constexpr db::Query kInsert{"ops_events.insert",
                            "INSERT INTO ops_events (entity_type, entity_id, event_type, payload, actor_user_id, "
                            "correlation_id) VALUES ($1, $2::uuid, $3, $4, $5, $6)"};
constexpr const char* kList =
    "SELECT id, entity_type, entity_id, event_type, payload, actor_user_id, correlation_id, created_at, "
    "count(*) OVER () AS total FROM ops_events";
}  // namespace q

Task<void> OpsEventRepo::insert(db::Tx& tx, std::string_view entity_type, const std::string& entity_id,
                                std::string_view event_type, const nlohmann::json& payload,
                                const std::optional<std::string>& actor, const std::string& correlation_id) {
  std::optional<std::string> correlation;
  if (!correlation_id.empty()) correlation = correlation_id;
  co_await tx.query(q::kInsert, db::Params(std::string(entity_type), entity_id, std::string(event_type), payload,
                                           actor, correlation));
}

Task<db::Page<OpsEvent>> OpsEventRepo::list(const Filter& f, const db::PageRequest& p) {
  db::Where w;
  w.eq("entity_type", f.entity_type).eq("event_type", f.event_type).eq("actor_user_id", f.actor_user_id);
  w.eq("correlation_id", f.correlation_id);
  if (f.entity_id) w.add("entity_id = {}::uuid", *f.entity_id);
  if (f.from) w.add("created_at >= {}::timestamptz", *f.from);
  if (f.to) w.add("created_at < {}::timestamptz", *f.to);
  std::string sql = q::kList + w.sql() + w.order_and_window({"created_at", true}, p, "id DESC");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<OpsEvent>(rows, p, [](const db::Row& r) {
    return OpsEvent{r.get<std::string>("id"),         r.get<std::string>("entity_type"),
                    r.get<std::string>("entity_id"),  r.get<std::string>("event_type"),
                    r.json("payload"),                r.opt<std::string>("actor_user_id"),
                    r.opt<std::string>("correlation_id"), r.timestamp("created_at")};
  });
}

}  // namespace netops::ops_events
