#include "modules/assets/asset_service.hpp"

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/etag.hpp"
#include "core/ids.hpp"
#include "modules/assets/asset_totals.hpp"
#include "modules/assets/asset_body.hpp"
#include "modules/assets/asset_rules.hpp"

namespace netops::assets {

namespace {

nlohmann::json with_note(nlohmann::json payload, const std::optional<std::string>& note) {
  if (note) payload["note"] = *note;
  return payload;
}

// Cached totals are worth it only where counting costs: an exact count(*) over a large match is a scan.
constexpr long long kCacheCountsFrom = 10000;
constexpr int kCountTtlS = 60;
constexpr std::size_t kMaxBackgroundCounts = 1;
// A search matching at most this many assets is sorted from its matches (repo.cpp search_ids); one
// matching more is dense enough for the ordered index walk to find a page at once.
constexpr long long kSearchCap = 2000;
constexpr int kWalkBudgetMs = 30;

}  // namespace

Task<std::pair<nlohmann::json, AssetService::Total>> AssetService::list(const Filter& filter, const http::Paging& p,
                                                                          const http::Sort& s) {
  Filter f = filter;
  co_await repo_.resolve_locations(f);
  nlohmann::json rows;
  if (f.search) {
    // Trigram matches defeat the planner's estimates (repo.cpp search_ids), so searches pick their own
    // plan: a selective term is found through the indexes and sorted from its matches; a broad one walks
    // the sort order, which is instant when matches are spread out, and, when they cluster at the far
    // end of that order (the walk would cross the table), gives way to sorting all matches.
    auto ids = co_await repo_.search_ids(f, kSearchCap + 1);
    if (static_cast<long long>(ids.size()) <= kSearchCap) {
      auto page = co_await repo_.list_ids(ids, p, s);
      co_return std::make_pair(std::move(page), Total{static_cast<long long>(ids.size()), true});
    }
    bool walked = false;
    try {
      ListPlan budget{kWalkBudgetMs, false};
      rows = co_await repo_.list(f, p, s, budget);
      walked = true;
    } catch (const AppError& e) {
      if (e.code() != ErrorCode::service_unavailable) throw;  // the budget ran out: sort the matches instead
    }
    if (!walked) {
      ListPlan sort_matches{0, true};
      rows = co_await repo_.list(f, p, s, sort_matches);
    }
  } else {
    rows = co_await repo_.list(f, p, s);
  }
  auto n = static_cast<long long>(rows.size());
  // A short page ends the list, so it tells the total; only a full page (or one past the end) needs a count.
  if (n < p.page_size && (n > 0 || p.offset() == 0)) co_return std::make_pair(std::move(rows), Total{p.offset() + n, true});
  auto total = co_await counted_total(f);
  co_return std::make_pair(std::move(rows), total);
}

// An exact count(*) over hundreds of thousands of rows costs tens of milliseconds however it is indexed.
// Large totals are therefore cached in Redis under a generation number that every committed asset write
// of this module bumps (changed()), so a cached total is never older than the last write through this
// API; the TTL bounds what writes elsewhere (other modules, psql) can leave stale. Small totals are
// always counted. Without Redis every total is counted.
Task<std::string> AssetService::count_key(std::string_view kind, const Filter& f) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  nlohmann::json key_doc = {{"s", f.statuses},        {"l", opt(f.location_id)},     {"c", opt(f.category_id)},
                            {"m", opt(f.model_id)},   {"v", opt(f.vendor_id)},       {"w", opt(f.warranty_before)},
                            {"q", opt(f.search)},     {"i", f.ids}};
  std::optional<std::string> gen;
  try {
    gen = co_await ctx_.redis.get(kTotalsGenerationKey);
  } catch (const std::exception& e) {
    spdlog::debug("assets: count cache unavailable ({})", e.what());
  }
  co_return "assets:" + std::string(kind) + ":" + gen.value_or("0") + ":" + sha256_hex(key_doc.dump()).substr(0, 32);
}

// Counting up to NETOPS_LIST_EXACT_TOTAL (+1) matches is quick; counting a million is not (tens of
// milliseconds to a second). So a list matching more answers that lower bound with totalExact false and
// counts exactly in the background; the exact total is cached, and later pages of the same filter get it.
// Without Redis there is nowhere to keep it: the total is then counted on the request path, exactly.
Task<AssetService::Total> AssetService::counted_total(const Filter& f) {
  auto key = co_await count_key("count", f);
  auto hit = co_await ctx_.cache.get_json(key);
  if (hit && hit->is_number_integer()) co_return Total{hit->get<long long>(), true};
  const long long limit = settings_.list_exact_total;
  if (limit <= 0 || !ctx_.redis.connected()) {
    auto exact = co_await repo_.count(f);
    co_return Total{exact, true};
  }
  auto n = co_await repo_.count(f, limit + 1);
  if (n <= limit) {
    if (n >= kCacheCountsFrom) co_await ctx_.cache.set_json(key, n, kCountTtlS);
    co_return Total{n, true};
  }
  {
    // One filter is counted once at a time, and at most kMaxBackgroundCounts filters at once: a client
    // sending a stream of distinct filters cannot make the database count without bound.
    std::lock_guard lock(counting_mu_);
    if (counting_.size() >= kMaxBackgroundCounts || !counting_.insert(key).second) co_return Total{limit, false};
  }
  auto count_later = [](AssetService* self, Filter filter, std::string cache_key) -> Task<void> {
    struct Done {
      AssetService* s;
      std::string k;
      ~Done() {
        std::lock_guard lock(s->counting_mu_);
        s->counting_.erase(k);
      }
    } done{self, cache_key};
    auto exact = co_await self->repo_.count(filter);
    co_await self->ctx_.cache.set_json(cache_key, exact, kCountTtlS);
  };
  background_.spawn(co_await boost::asio::this_coro::executor, count_later(this, f, key), "assets list total");
  co_return Total{limit, false};
}

Task<nlohmann::json> AssetService::status_counts(const Filter& f) {
  auto key = co_await count_key("status-counts", f);
  auto hit = co_await ctx_.cache.get_json(key);
  if (hit && hit->is_object()) co_return *hit;
  auto counts = co_await repo_.status_counts(f);
  long long total = 0;
  for (auto& [status, n] : counts.items()) total += n.get<long long>();
  if (total >= kCacheCountsFrom) co_await ctx_.cache.set_json(key, counts, kCountTtlS);
  co_return counts;
}

Task<void> AssetService::changed() { co_await totals_changed(ctx_.redis); }

Task<nlohmann::json> AssetService::list_after(const Filter& f, const std::optional<std::string>& after,
                                               long long limit) {
  co_return co_await repo_.list_after(f, after, limit);
}


Task<Asset> AssetService::find(const std::string& id) {
  auto a = co_await repo_.find(id);
  if (!a) throw NotFound("asset");
  co_return std::move(*a);
}

Task<nlohmann::json> AssetService::detail(const Asset& a) {
  auto out = to_json(a);
  auto refs = co_await repo_.references(a.id);
  for (auto& [k, v] : refs.items()) out[k] = v;
  auto open = co_await repo_.open_assignment(a.id);
  out["openAssignment"] = open ? *open : nlohmann::json();
  http::Paging ten{1, 10};
  auto events = co_await repo_.events(a.id, ten);
  out["recentEvents"] = std::move(events.first);
  out["allowedStatuses"] = allowed_next(a.status());
  out["cis"] = co_await repo_.linked_cis(a.id);
  co_return out;
}

Task<Asset> AssetService::locked(db::Tx& tx, const std::string& id, const std::optional<std::string>& expected_etag) {
  auto a = co_await repo_.lock(tx, id);
  if (!a) throw NotFound("asset");
  check_expected_etag(expected_etag, to_json(*a));
  co_return std::move(*a);
}

Task<Asset> AssetService::create(const Values& values, const Caller& who) {
  std::optional<Asset> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto missing = co_await repo_.missing_refs(tx, values);
    if (!missing.empty()) {
      Validation refs;
      for (auto& field : missing) refs.add(field, "does not exist");
      throw Unprocessable("unknown " + missing.front(), {{"errors", refs.errors()}});
    }
    out = co_await repo_.insert(tx, values);
    nlohmann::json payload = {{"after", to_json(*out)}};
    co_await repo_.add_event(tx, out->id, "CREATED", payload, who);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await changed();
  co_return std::move(*out);
}

Task<Asset> AssetService::update(const std::string& id, const Values& patch_in,
                                 const std::optional<std::string>& expected_etag, const Caller& who) {
  Values patch = patch_in;
  std::optional<Asset> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await locked(tx, id, expected_etag);
    if (auto s = patch.find("status"); s != patch.end()) {
      if (s->second != current.get("status"))
        throw ValidationError("status", "cannot be changed here: use POST /api/v1/assets/{id}/status");
      patch.erase(s);
    }
    Values merged = current.values;
    for (auto& [k, val] : patch) merged[k] = val;
    Validation dates;
    check_dates(merged, dates);
    dates.throw_if_any();
    auto diff = changes(current.values, patch);
    if (diff.empty()) {  // nothing changes: no write, no event, same ETag
      out = std::move(current);
      co_return;
    }
    Values changed_refs;
    static constexpr const char* kRefs[] = {"model_id", "location_id", "vendor_id"};
    for (const char* ref : kRefs)
      if (auto it = patch.find(ref); it != patch.end() && it->second != current.get(ref)) changed_refs.insert(*it);
    auto missing = co_await repo_.missing_refs(tx, changed_refs);
    if (!missing.empty()) {
      Validation refs;
      for (auto& field : missing) refs.add(field, "does not exist");
      throw Unprocessable("unknown " + missing.front(), {{"errors", refs.errors()}});
    }
    out = co_await repo_.update(tx, id, patch);
    // A location change is a move wherever it comes from, so it is recorded as MOVED.
    if (diff.contains("locationId")) {
      nlohmann::json moved = {{"changes", {{"locationId", diff["locationId"]}}}};
      co_await repo_.add_event(tx, id, "MOVED", moved, who);
      diff.erase("locationId");
    }
    if (!diff.empty()) {
      nlohmann::json payload = {{"changes", diff}};
      co_await repo_.add_event(tx, id, "UPDATED", payload, who);
    }
  };
  co_await ctx_.db.transaction(in_tx);
  co_await changed();
  co_return std::move(*out);
}

Task<void> AssetService::remove(const std::string& id, const std::optional<std::string>& expected_etag,
                                const Caller& who) {
  std::vector<std::string> keys;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await locked(tx, id, expected_etag);
    auto rows = co_await tx.query(std::string_view("SELECT storage_key FROM asset_attachments WHERE asset_id = $1"),
                                  db::Params(id));
    for (auto r : rows)
      if (!r.is_null("storage_key")) keys.push_back(r.get<std::string>("storage_key"));
    // The asset's events go with it (ON DELETE CASCADE), so the deletion itself is kept in the audit log.
    audit::Entry e{who.user_id, "asset.deleted", "asset:" + id, {{"before", to_json(current)}}, who.request_id};
    co_await audit_->record(tx, e);
    co_await repo_.remove(tx, id);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await changed();
  // After the commit: a failed transaction must not have lost files. A crash here leaves orphan files,
  // never rows without files.
  auto drop = [this, keys] {
    for (auto& k : keys) files_.remove(k);
    return true;
  };
  co_await ctx_.blocking.run(std::move(drop));
}

Task<Asset> AssetService::change_status_in(db::Tx& tx, const std::string& id, const StatusChange& change,
                                           const std::optional<std::string>& expected_etag, const Caller& who) {
  auto current = co_await locked(tx, id, expected_etag);
  auto from = current.status();
  check_transition(from, change.to);
  if (requires_no_assignment(change.to)) {
    if (auto open = co_await repo_.open_assignment(tx, id))
      throw Conflict("the asset is assigned to " + (*open)["assigneeName"].get<std::string>() +
                         "; return it before setting " + change.to,
                     {{"assignment", *open}});
  }
  Values patch = {{"status", change.to}};
  auto out = co_await repo_.update(tx, id, patch);
  auto payload = with_note({{"changes", changes(current.values, patch)}}, change.note);
  co_await repo_.add_event(tx, id, "STATUS_CHANGED", payload, who);
  co_return out;
}

Task<Asset> AssetService::change_status(const std::string& id, const StatusChange& change,
                                        const std::optional<std::string>& expected_etag, const Caller& who) {
  std::optional<Asset> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    out = co_await change_status_in(tx, id, change, expected_etag, who);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await changed();
  co_return std::move(*out);
}

Task<nlohmann::json> AssetService::assign_in(db::Tx& tx, const std::string& id, const NewAssignment& a,
                                             const std::optional<std::string>& expected_etag, const Caller& who) {
  // The row lock serializes concurrent assigns of one asset: the second sees the first's assignment.
  auto current = co_await locked(tx, id, expected_etag);
  if (current.status() != "in_use") check_transition(current.status(), "in_use");
  if (auto open = co_await repo_.open_assignment(tx, id)) {
    auto closed = co_await repo_.close_assignment(tx, (*open)["id"].get<std::string>());
    auto payload = with_note({{"assignment", closed}, {"reason", "reassigned"}}, a.note);
    co_await repo_.add_event(tx, id, "UNASSIGNED", payload, who);
  }
  auto assignment = co_await repo_.insert_assignment(tx, id, a);
  Values patch = {{"status", "in_use"}};
  auto diff = changes(current.values, patch);
  Asset asset = current;
  if (!diff.empty()) asset = co_await repo_.update(tx, id, patch);
  auto payload = with_note({{"assignment", assignment}}, a.note);
  if (!diff.empty()) payload["changes"] = diff;
  co_await repo_.add_event(tx, id, "ASSIGNED", payload, who);
  co_return nlohmann::json{{"asset", to_json(asset)}, {"assignment", assignment}};
}

Task<nlohmann::json> AssetService::assign(const std::string& id, const NewAssignment& a,
                                          const std::optional<std::string>& expected_etag, const Caller& who) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    out = co_await assign_in(tx, id, a, expected_etag, who);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await changed();
  co_return out;
}

Task<nlohmann::json> AssetService::return_in(db::Tx& tx, const std::string& id, const std::optional<std::string>& note,
                                             const std::optional<std::string>& expected_etag, const Caller& who) {
  auto current = co_await locked(tx, id, expected_etag);
  auto open = co_await repo_.open_assignment(tx, id);
  if (!open) throw Conflict("the asset has no open assignment to return");
  auto closed = co_await repo_.close_assignment(tx, (*open)["id"].get<std::string>());
  Values patch = {{"status", "in_stock"}};
  auto diff = changes(current.values, patch);
  if (!diff.empty()) check_transition(current.status(), "in_stock");
  Asset asset = current;
  if (!diff.empty()) asset = co_await repo_.update(tx, id, patch);
  nlohmann::json payload = {{"assignment", closed}, {"reason", "returned"}};
  if (!diff.empty()) payload["changes"] = diff;
  payload = with_note(std::move(payload), note);
  co_await repo_.add_event(tx, id, "UNASSIGNED", payload, who);
  co_return nlohmann::json{{"asset", to_json(asset)}, {"assignment", closed}};
}

Task<nlohmann::json> AssetService::return_asset(const std::string& id, const std::optional<std::string>& note,
                                                const std::optional<std::string>& expected_etag, const Caller& who) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    out = co_await return_in(tx, id, note, expected_etag, who);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await changed();
  co_return out;
}

Task<Asset> AssetService::move_in(db::Tx& tx, const std::string& id, const MoveInput& m,
                                  const std::optional<std::string>& expected_etag, const Caller& who) {
  auto current = co_await locked(tx, id, expected_etag);
  Values patch = {{"location_id", m.location_id}};
  auto missing = co_await repo_.missing_refs(tx, patch);
  if (!missing.empty())
    throw Unprocessable("unknown locationId", {{"errors", {{{"field", "locationId"}, {"issue", "does not exist"}}}}});
  auto diff = changes(current.values, patch);
  if (diff.empty()) co_return current;  // already there
  auto out = co_await repo_.update(tx, id, patch);
  auto payload = with_note({{"changes", diff}}, m.note);
  co_await repo_.add_event(tx, id, "MOVED", payload, who);
  co_return out;
}

Task<Asset> AssetService::move(const std::string& id, const MoveInput& m,
                               const std::optional<std::string>& expected_etag, const Caller& who) {
  std::optional<Asset> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    out = co_await move_in(tx, id, m, expected_etag, who);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await changed();
  co_return std::move(*out);
}

Task<Asset> AssetService::lock(db::Tx& tx, const std::string& id) {
  std::optional<std::string> any;
  co_return co_await locked(tx, id, any);
}

Task<void> AssetService::record_event(db::Tx& tx, const std::string& id, std::string_view type,
                                      const nlohmann::json& payload, const Caller& who) {
  co_await repo_.add_event(tx, id, type, payload, who);
}

Task<Asset> AssetService::hold_for_repair(db::Tx& tx, const std::string& id, std::string_view event_type,
                                          const nlohmann::json& payload_in, const Caller& who) {
  auto current = co_await locked(tx, id, std::nullopt);
  nlohmann::json payload = payload_in;
  Asset out = current;
  if (current.status() != "in_repair") {
    check_transition(current.status(), "in_repair");  // 409 for a disposed, retired or lost asset
    Values patch = {{"status", "in_repair"}};
    payload["changes"] = changes(current.values, patch);
    out = co_await repo_.update(tx, id, patch);
  }
  co_await repo_.add_event(tx, id, event_type, payload, who);
  co_return out;
}

Task<Asset> AssetService::release_from_repair(db::Tx& tx, const std::string& id, std::string_view event_type,
                                              const nlohmann::json& payload_in, const Caller& who) {
  auto current = co_await locked(tx, id, std::nullopt);
  nlohmann::json payload = payload_in;
  Asset out = current;
  auto holds = co_await repo_.open_repair_holds(tx, id);
  if (current.status() == "in_repair" && holds == 0) {
    auto open = co_await repo_.open_assignment(tx, id);
    Values patch = {{"status", open ? "in_use" : "in_stock"}};
    payload["changes"] = changes(current.values, patch);
    out = co_await repo_.update(tx, id, patch);
  } else if (holds > 0) {
    payload["stillOpen"] = holds;  // another ticket or repair order keeps the asset in repair
  }
  co_await repo_.add_event(tx, id, event_type, payload, who);
  co_return out;
}

Task<std::pair<nlohmann::json, long long>> AssetService::assignments(const std::string& id, const http::Paging& p) {
  co_await find(id);
  co_return co_await repo_.assignments(id, p);
}

Task<std::pair<nlohmann::json, long long>> AssetService::events(const std::string& id, const http::Paging& p) {
  co_await find(id);
  co_return co_await repo_.events(id, p);
}

}  // namespace netops::assets
