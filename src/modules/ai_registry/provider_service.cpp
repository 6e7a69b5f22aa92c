#include "modules/ai_registry/provider_service.hpp"

#include "core/error.hpp"
#include "core/secretbox.hpp"
#include "llm/url.hpp"
#include "modules/audit/audited.hpp"

namespace netops::ai_registry {

namespace {
std::string credits_key(const std::string& id) { return "provider:credits:" + id; }
std::string origin_of(const std::string& endpoint) {
  try {
    return llm::parse_url(endpoint).origin();
  } catch (const std::invalid_argument&) {
    return endpoint;
  }
}
std::string joined(const std::vector<std::string>& ids, std::size_t max = 10) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < max; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > max) out += ", …";
  return out;
}
}  // namespace

void ProviderService::seal_key(Provider& p, const KeyChange& key) const {
  if (key.kind == KeyChange::Kind::set) {
    p.api_key_sealed = secretbox::seal(key.plaintext, ctx_.config.master_key);
    p.api_key = key.plaintext;
    p.api_key_unreadable = false;
  } else if (key.kind == KeyChange::Kind::clear) {
    p.api_key_sealed.reset();
    p.api_key.clear();
    p.api_key_unreadable = false;
  }
}

Task<std::optional<Provider>> ProviderService::lock_or_404(db::Tx& tx, const std::string& id) {
  auto p = co_await repo_.lock(tx, id);
  if (!p) throw NotFound("provider " + id);
  co_return p;
}

Task<db::Page<Provider>> ProviderService::list(const ProviderFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Provider> ProviderService::get(const std::string& id) {
  auto p = co_await repo_.find(id);
  if (!p) throw NotFound("provider " + id);
  co_return *p;
}

Task<Provider> ProviderService::create(const ProviderInput& in, const Caller& by) {
  Provider p;
  Validation v;
  apply_provider(in, p, v);
  v.throw_if_any();
  seal_key(p, in.key);
  audit::Change change{"provider.created", "provider", p.id};
  audit::Insert<Provider> insert = [&](db::Tx& tx) -> Task<Provider> {
    auto existing = co_await repo_.lock(tx, p.id);  // named: no co_await inside conditions (GCC 12)
    if (existing) throw Conflict("provider " + p.id + " already exists");
    co_return co_await repo_.insert(tx, p);
  };
  std::function<std::string(const Provider&)> id_of = [](const Provider& x) { return x.id; };
  Provider created;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    created = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
  co_return created;
}

Task<Provider> ProviderService::update(const std::string& id, const ProviderInput& in,
                                       const std::optional<std::string>& expected_etag, const Caller& by) {
  audit::Change change{"provider.updated", "provider", id, expected_etag};
  change.extra["apiKeyChanged"] = in.key.kind != KeyChange::Kind::keep;
  audit::Lock<Provider> lock = [&](db::Tx& tx) -> Task<std::optional<Provider>> {
    co_return co_await lock_or_404(tx, id);
  };
  audit::Write<Provider> write = [&](db::Tx& tx, const Provider& current) -> Task<Provider> {
    Provider next = current;
    Validation v;
    apply_provider(in, next, v);
    // A stored key is only ever sent where it was entered: moving the endpoint to another origin (scheme,
    // host or port) needs the key again, or an admin could send it to a server of their own.
    if (in.key.kind == KeyChange::Kind::keep && current.api_key_sealed && v.empty() &&
        origin_of(next.api_endpoint) != origin_of(current.api_endpoint))
      v.add("apiKey", "is required when apiEndpoint moves to another origin (a stored key is never sent to a new "
                      "server); send it again, or null to clear it");
    v.throw_if_any();
    seal_key(next, in.key);
    co_return co_await repo_.update(tx, next);
  };
  Provider updated;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    updated = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> keys{credits_key(id)};
  co_await ctx_.cache.invalidate(std::move(keys));
  co_await registry_->changed();
  co_return updated;
}

Task<void> ProviderService::remove(const std::string& id, const std::optional<std::string>& expected_etag,
                                   const Caller& by) {
  audit::Change change{"provider.deleted", "provider", id, expected_etag};
  audit::Lock<Provider> lock = [&](db::Tx& tx) -> Task<std::optional<Provider>> {
    co_return co_await lock_or_404(tx, id);
  };
  audit::Remove<Provider> remove = [&](db::Tx& tx, const Provider&) -> Task<void> {
    auto used_by = co_await repo_.model_ids(tx, id);
    if (!used_by.empty())
      throw Conflict("provider " + id + " is still used by " + std::to_string(used_by.size()) +
                         " model(s): " + joined(used_by) + "; delete them or move them to another provider first",
                     {{"models", used_by}});
    co_await repo_.remove(tx, id);
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> keys{credits_key(id)};
  co_await ctx_.cache.invalidate(std::move(keys));
  co_await registry_->changed();
}

Task<nlohmann::json> ProviderService::health(const std::string& id) {
  auto p = co_await repo_.find(id);
  if (!p) throw NotFound("provider " + id);
  if (!hooks_->probe)
    throw AppError(ErrorCode::not_implemented,
                   "provider health probes need the upstream HTTP client, which is not wired into this build");
  if (p->api_key_unreadable)
    throw Unprocessable("the stored API key of provider " + id +
                        " cannot be decrypted with the current NETOPS_MASTER_KEY; set it again");
  if (p->api_endpoint.empty()) throw Unprocessable("provider " + id + " has no apiEndpoint");
  auto result = co_await hooks_->probe(*p, p->api_key);
  nlohmann::json out = {{"providerId", id}, {"status", p->status}};
  if (result.is_object()) out.update(result);
  else out["result"] = result;
  co_return out;
}

Task<ProviderCredits> ProviderService::credits(const std::string& id) {
  auto key = credits_key(id);
  auto cached = co_await ctx_.cache.get_json(key);
  if (cached) {
    auto& c = *cached;
    ProviderCredits out{c.value("providerId", id),
                        c.contains("creditsRemaining") && c["creditsRemaining"].is_string()
                            ? std::optional<std::string>(c["creditsRemaining"].get<std::string>())
                            : std::nullopt,
                        c.value("tokensUsed", std::int64_t{0}), c.value("lastUsageAt", nlohmann::json())};
    co_return out;
  }
  auto credits = co_await repo_.credits(id);
  if (!credits) throw NotFound("provider " + id);
  auto j = to_json(*credits);
  co_await ctx_.cache.set_json(key, j, 60);
  co_return *credits;
}

}  // namespace netops::ai_registry
