#pragma once
#include <string_view>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/ops_events/types.hpp"

namespace netops::ops_events {

class OpsEventRepo {
 public:
  explicit OpsEventRepo(db::Db& db) : db_(db) {}
  Task<void> insert(db::Tx& tx, std::string_view entity_type, const std::string& entity_id,
                    std::string_view event_type, const nlohmann::json& payload,
                    const std::optional<std::string>& actor, const std::string& correlation_id);
  Task<db::Page<OpsEvent>> list(const Filter& f, const db::PageRequest& p);

 private:
  db::Db& db_;
};

}  // namespace netops::ops_events
