#include "modules/partitions/partition_repo.hpp"

#include "db/db.hpp"

namespace netops::partitions {

namespace {
// "netopsPT": one key for every instance; transaction-scoped, so a crash cannot leave it held. A DROP of a
// partition needs the parent's ACCESS EXCLUSIVE lock: lock_timeout bounds how long the queries queued behind
// that request can wait (the run fails and is retried a minute later).
constexpr db::Query kTryLock{"partitions.try_lock", "SELECT pg_try_advisory_xact_lock(7954894102378386516) AS locked"};
constexpr db::Query kLockTimeout{"partitions.lock_timeout", "SET LOCAL lock_timeout = '2s'"};
constexpr db::Query kMaintain{"partitions.maintain",
                              "SELECT netops_maintain_partitions($1, $2::date, $3::int, $4::int) AS result"};
}  // namespace

Task<bool> PartitionRepo::try_lock(db::Tx& tx) {
  auto rows = co_await tx.query(kTryLock);
  bool locked = rows.front().get<bool>("locked");
  if (locked) co_await tx.query(kLockTimeout);
  co_return locked;
}

Task<nlohmann::json> PartitionRepo::maintain(db::Tx& tx, const std::string& table, const std::string& today, int ahead,
                                             int retention_months) {
  db::Params p(table, today, ahead, retention_months);
  auto rows = co_await tx.query(kMaintain, std::move(p));
  co_return rows.front().get<nlohmann::json>("result");
}

}  // namespace netops::partitions
