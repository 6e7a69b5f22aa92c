#pragma once
// One tracked change of an operations object, the same in every module (the ops_events twin of
// audit/audited.hpp), inside the caller's transaction:
//   lock and load the row (nullopt → 404) → check the caller's expected ETag against its representation →
//   the module's own rules and write → one ops_events row with before/after and the request id.
// Every argument is taken by reference and must be a named object of the calling coroutine (GCC 12
// mishandles temporaries in a co_await expression), as in the example below. T is the module's type of the
// row; to_json(const T&) (found by ADL) is its API representation, the one its ETag is computed over. Rules
// that refuse the change throw from `apply` / `drop` before they write.
//
//   ops_events::Change change{"cmdb_service", "updated", "service", id, if_match};
//   ops_events::Load<Service> load = [&](db::Tx& t) { return repo_.find(id, &t, true); };
//   ops_events::Apply<Service> apply = [&](db::Tx& t, const Service&) -> Task<Service> { …; co_return …; };
//   out = co_await ops_events::tracked_update(tx, *ops_, by, change, load, apply);
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/etag.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::ops_events {

struct Change {
  std::string entity_type = {};  // "cmdb_service"
  std::string event_type = {};   // "updated", "deleted", "retired"
  std::string noun = {};         // "service": 404 "service not found"
  std::string id = {};
  std::optional<std::string> expected_etag = {};  // If-Match; nullopt = unconditional
};

template <class T>
using Load = std::function<Task<std::optional<T>>(db::Tx&)>;
// Writes the change and yields the row after it.
template <class T>
using Apply = std::function<Task<T>(db::Tx&, const T& current)>;
// Deletes (or retires) the row; yields what the event records besides "before" (an object, may be empty).
template <class T>
using Drop = std::function<Task<nlohmann::json>(db::Tx&, const T& current)>;

// Load for repositories that lock a row apart from reading it (their find joins or aggregates, which
// FOR UPDATE cannot take): repo.lock(tx, id) → Task<bool>, then repo.find(id, &tx).
template <class Repo>
auto lock_then_find(Repo& repo, db::Tx& tx, const std::string& id) -> decltype(repo.find(id, &tx)) {
  bool locked = co_await repo.lock(tx, id);
  if (!locked) co_return std::nullopt;
  co_return co_await repo.find(id, &tx);
}

// payload {"before", "after"}; an update that changes nothing writes no event.
template <class T>
Task<T> tracked_update(db::Tx& tx, OpsEventService& ops, const Caller& by, const Change& c, const Load<T>& load,
                       const Apply<T>& apply) {
  std::optional<T> current = co_await load(tx);
  if (!current) throw NotFound(c.noun);
  auto before = to_json(*current);
  check_expected_etag(c.expected_etag, before);
  T updated = co_await apply(tx, *current);
  auto after = to_json(updated);
  if (after != before) {
    nlohmann::json payload = {{"before", std::move(before)}, {"after", std::move(after)}};
    co_await ops.record(tx, c.entity_type, c.id, c.event_type, payload, by);
  }
  co_return updated;
}

// payload {"before", …what drop yields}; yields the row as it was.
template <class T>
Task<T> tracked_delete(db::Tx& tx, OpsEventService& ops, const Caller& by, const Change& c, const Load<T>& load,
                       const Drop<T>& drop) {
  std::optional<T> current = co_await load(tx);
  if (!current) throw NotFound(c.noun);
  auto before = to_json(*current);
  check_expected_etag(c.expected_etag, before);
  nlohmann::json payload = co_await drop(tx, *current);
  if (!payload.is_object()) payload = nlohmann::json::object();
  payload["before"] = std::move(before);
  co_await ops.record(tx, c.entity_type, c.id, c.event_type, payload, by);
  co_return *current;
}

}  // namespace netops::ops_events
