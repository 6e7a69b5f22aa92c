#include "modules/assets/asset_bulk_service.hpp"

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace netops::assets {

std::vector<std::string> parse_bulk_ids(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("ids") || !body["ids"].is_array())
    throw ValidationError("ids", "required: an array of asset ids");
  const auto& arr = body["ids"];
  if (arr.empty()) throw ValidationError("ids", "must name at least one asset");
  if (arr.size() > kBulkMaxIds)
    throw ValidationError("ids", "at most " + std::to_string(kBulkMaxIds) + " assets per call");
  std::vector<std::string> out;
  std::set<std::string> seen;
  Validation v;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const auto& e = arr[i];
    if (!e.is_string() || !is_uuid(e.get<std::string>())) {
      v.add("ids[" + std::to_string(i) + "]", "must be an asset id (UUID)");
      continue;
    }
    auto id = e.get<std::string>();
    for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!seen.insert(id).second) {
      v.add("ids[" + std::to_string(i) + "]", "listed twice");
      continue;
    }
    out.push_back(std::move(id));
  }
  v.throw_if_any();
  return out;
}

Task<nlohmann::json> AssetBulkService::run(const std::vector<std::string>& ids, std::string_view action,
                                           const One& one) {
  // Locks in id order (deadlock-free between overlapping bulk calls); answers in the order given.
  std::vector<std::size_t> order(ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });

  nlohmann::json results = nlohmann::json::array();
  for (const auto& id : ids) results.push_back({{"id", id}});
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    nlohmann::json failed = nlohmann::json::array();
    for (auto i : order) {
      const auto& id = ids[i];
      co_await tx.query(std::string_view("SAVEPOINT asset_bulk_one"));
      std::optional<AppError> refused;
      nlohmann::json done;
      try {
        done = co_await one(tx, id);
      } catch (const AppError& e) {
        refused = e;
      }
      if (refused) {
        // The refused asset's partial work (if any) goes; the transaction stays usable for the next one.
        co_await tx.query(std::string_view("ROLLBACK TO SAVEPOINT asset_bulk_one"));
        nlohmann::json err = {{"code", std::string(code_name(refused->code()))},
                              {"status", refused->status()},
                              {"message", refused->what()}};
        if (!refused->details().empty()) err["details"] = refused->details();
        results[i]["ok"] = false;
        results[i]["error"] = err;
        failed.push_back({{"id", id}, {"error", err}});
      } else {
        co_await tx.query(std::string_view("RELEASE SAVEPOINT asset_bulk_one"));
        results[i]["ok"] = true;
        results[i].update(done);
      }
    }
    if (!failed.empty()) {
      // Atomic: one refusal and nothing is written (the exception rolls the transaction back).
      nlohmann::json failed_ids = nlohmann::json::array();
      for (const auto& f : failed) failed_ids.push_back(f["id"]);
      // The message first: the details below move `failed`, and argument evaluation order is unspecified.
      auto message = std::to_string(failed.size()) + " of " + std::to_string(ids.size()) + " assets refused the " +
                     std::string(action) + "; nothing was changed";
      throw Unprocessable(std::move(message),
                          {{"failedIds", std::move(failed_ids)}, {"failed", std::move(failed)}, {"results", results}});
    }
  };
  co_await ctx_.db.transaction(in_tx);
  co_await assets_->changed();
  co_return nlohmann::json{{"count", ids.size()}, {"results", std::move(results)}};
}

Task<nlohmann::json> AssetBulkService::change_status(const std::vector<std::string>& ids, const StatusChange& change,
                                                     const Caller& who) {
  auto svc = assets_;
  One one = [svc, change, who](db::Tx& tx, const std::string& id) -> Task<nlohmann::json> {
    auto a = co_await svc->change_status_in(tx, id, change, std::nullopt, who);
    co_return nlohmann::json{{"asset", to_json(a)}};
  };
  co_return co_await run(ids, "status change", one);
}

Task<nlohmann::json> AssetBulkService::move(const std::vector<std::string>& ids, const MoveInput& m,
                                            const Caller& who) {
  auto svc = assets_;
  One one = [svc, m, who](db::Tx& tx, const std::string& id) -> Task<nlohmann::json> {
    auto a = co_await svc->move_in(tx, id, m, std::nullopt, who);
    co_return nlohmann::json{{"asset", to_json(a)}};
  };
  co_return co_await run(ids, "move", one);
}

Task<nlohmann::json> AssetBulkService::assign(const std::vector<std::string>& ids, const NewAssignment& a,
                                              const Caller& who) {
  auto svc = assets_;
  One one = [svc, a, who](db::Tx& tx, const std::string& id) -> Task<nlohmann::json> {
    co_return co_await svc->assign_in(tx, id, a, std::nullopt, who);  // {"asset", "assignment"}
  };
  co_return co_await run(ids, "assignment", one);
}

}  // namespace netops::assets
