#pragma once
// One audited change, the same in every module (CONVENTIONS "audited changes"), inside the caller's
// transaction:
//   lock the row (nullopt → 404) → check the caller's expected ETag against its representation → the
//   module's own rules and write → one audit row with before/after and the request id.
// Every argument is taken by reference and must be a named object of the calling coroutine (GCC 12
// mishandles temporaries in a co_await expression), as in the example below.
// T is the module's type of the row; to_json(const T&) (found by ADL) is its API representation, the same
// one its ETag is computed over. Rules that refuse the change throw from `write` before it writes.
//
//   audit::Change change{"user.updated", "user", id, expected_etag};
//   audit::Lock<User> lock = [&](db::Tx& t) { return repo_.lock(t, id); };
//   audit::Write<User> write = [&](db::Tx& t, const User& current) -> Task<User> { …; co_return …; };
//   auto updated = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/etag.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::audit {

struct Change {
  Change(std::string action_, std::string resource_, std::string id_,
         std::optional<std::string> expected_etag_ = std::nullopt)
      : action(std::move(action_)), resource(std::move(resource_)), id(std::move(id_)),
        expected_etag(std::move(expected_etag_)) {}
  std::string action;                        // "user.updated"
  std::string resource;                      // "user": audit resource "user:<id>", 404 "user not found"
  std::string id;
  std::optional<std::string> expected_etag;  // If-Match; nullopt = unconditional
  nlohmann::json extra = nlohmann::json::object();  // more audit details
  // Called after the write with the details, for facts known only then (e.g. revokedSessions).
  std::function<void(nlohmann::json&)> annotate;
};

template <class T>
using Lock = std::function<Task<std::optional<T>>(db::Tx&)>;
template <class T>
using Write = std::function<Task<T>(db::Tx&, const T&)>;
template <class T>
using Remove = std::function<Task<void>(db::Tx&, const T&)>;
template <class T>
using Insert = std::function<Task<T>(db::Tx&)>;

// details: {"changes": {field: {before, after}}, …extra}
template <class T>
Task<T> audited_update(db::Tx& tx, AuditService& audit, const Caller& by, const Change& c, const Lock<T>& lock,
                       const Write<T>& write) {
  std::optional<T> current = co_await lock(tx);
  if (!current) throw NotFound(c.resource);
  auto before = to_json(*current);
  check_expected_etag(c.expected_etag, before);
  T updated = co_await write(tx, *current);
  nlohmann::json details = c.extra;
  details["changes"] = changes(before, to_json(updated));
  if (c.annotate) c.annotate(details);
  co_await audit.record(tx, by, c.action, c.resource + ":" + c.id, std::move(details));
  co_return updated;
}

// details: {"before": representation, …extra}; `remove` deletes (after any rule checks).
template <class T>
Task<T> audited_delete(db::Tx& tx, AuditService& audit, const Caller& by, const Change& c, const Lock<T>& lock,
                       const Remove<T>& remove) {
  std::optional<T> current = co_await lock(tx);
  if (!current) throw NotFound(c.resource);
  auto before = to_json(*current);
  check_expected_etag(c.expected_etag, before);
  co_await remove(tx, *current);
  nlohmann::json details = c.extra;
  details["before"] = before;
  if (c.annotate) c.annotate(details);
  co_await audit.record(tx, by, c.action, c.resource + ":" + c.id, std::move(details));
  co_return *current;
}

// details: {"after": representation, …extra}; the id of the audit resource is the created row's (id_of).
template <class T>
Task<T> audited_create(db::Tx& tx, AuditService& audit, const Caller& by, const Change& c,
                       const Insert<T>& insert, const std::function<std::string(const T&)>& id_of) {
  T created = co_await insert(tx);
  nlohmann::json details = c.extra;
  details["after"] = to_json(created);
  if (c.annotate) c.annotate(details);
  co_await audit.record(tx, by, c.action, c.resource + ":" + id_of(created), std::move(details));
  co_return created;
}

}  // namespace netops::audit
