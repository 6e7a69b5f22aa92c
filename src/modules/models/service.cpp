// ModelsService, part 1: providers, usage logs and the OpenAI model list (models and rules: model_service.cpp).
#include "modules/models/service.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/secretbox.hpp"
#include "llm/url.hpp"

namespace netops::models {

namespace {
audit::Entry entry(const http::Actor& by, std::string action, const std::string& resource, nlohmann::json details,
                   const std::string& request_id) {
  return audit::Entry{by.user_id, std::move(action), resource, std::move(details), request_id};
}
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

void ModelsService::seal_key(Provider& p, const KeyChange& key) const {
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

Task<std::pair<nlohmann::json, long long>> ModelsService::list_providers(const ProviderFilter& f,
                                                                         const http::Paging& p, const http::Sort& s) {
  auto [rows, total] = co_await providers_.list(f, p, s);
  nlohmann::json out = nlohmann::json::array();
  for (auto& x : rows) out.push_back(to_json(x));
  co_return std::make_pair(std::move(out), total);
}

Task<nlohmann::json> ModelsService::get_provider(const std::string& id) {
  auto p = co_await providers_.find(id);
  if (!p) throw NotFound("provider " + id);
  co_return to_json(*p);
}

Task<nlohmann::json> ModelsService::create_provider(const nlohmann::json& body, const http::Actor& by,
                                                    const std::string& request_id) {
  Provider p;
  KeyChange key;
  Validation v;
  apply_provider(body, p, key, true, v);
  v.throw_if_any();
  seal_key(p, key);
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto existing = co_await providers_.lock(tx, p.id);  // named: no co_await inside conditions (GCC 12)
    if (existing) throw Conflict("provider " + p.id + " already exists");
    auto created = co_await providers_.insert(tx, p);
    out = to_json(created);
    auto e = entry(by, "provider.created", "provider:" + p.id, {{"after", out}}, request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
  co_return out;
}

Task<nlohmann::json> ModelsService::update_provider(const std::string& id, const nlohmann::json& body,
                                                    const http::Actor& by, const std::string& request_id, Check check) {
  nlohmann::json after;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await providers_.lock(tx, id);
    if (!current) throw NotFound("provider " + id);
    auto before = to_json(*current);
    check(before);
    Provider next = *current;
    KeyChange key;
    Validation v;
    apply_provider(body, next, key, false, v);
    // A stored key is only ever sent where it was entered: moving the endpoint to another origin (scheme,
    // host or port) needs the key again, or an admin could send it to a server of their own.
    if (key.kind == KeyChange::Kind::keep && current->api_key_sealed && v.empty() &&
        origin_of(next.api_endpoint) != origin_of(current->api_endpoint))
      v.add("apiKey", "is required when apiEndpoint moves to another origin (a stored key is never sent to a new "
                      "server); send it again, or null to clear it");
    v.throw_if_any();
    seal_key(next, key);
    auto updated = co_await providers_.update(tx, next);
    after = to_json(updated);
    nlohmann::json details = {{"changes", audit::changes(before, after)},
                              {"apiKeyChanged", key.kind != KeyChange::Kind::keep}};
    auto e = entry(by, "provider.updated", "provider:" + id, std::move(details), request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> keys{credits_key(id)};
  co_await ctx_.cache.invalidate(std::move(keys));
  co_await registry_->changed();
  co_return after;
}

Task<void> ModelsService::delete_provider(const std::string& id, const http::Actor& by, const std::string& request_id,
                                          Check check) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await providers_.lock(tx, id);
    if (!current) throw NotFound("provider " + id);
    auto before = to_json(*current);
    check(before);
    auto used_by = co_await providers_.model_ids(tx, id);
    if (!used_by.empty())
      throw Conflict("provider " + id + " is still used by " + std::to_string(used_by.size()) +
                         " model(s): " + joined(used_by) + "; delete them or move them to another provider first",
                     {{"models", used_by}});
    auto e = entry(by, "provider.deleted", "provider:" + id, {{"before", before}}, request_id);
    co_await audit_.record(tx, e);
    co_await providers_.remove(tx, id);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> keys{credits_key(id)};
  co_await ctx_.cache.invalidate(std::move(keys));
  co_await registry_->changed();
}

Task<nlohmann::json> ModelsService::provider_health(const std::string& id) {
  auto p = co_await providers_.find(id);
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

Task<nlohmann::json> ModelsService::provider_credits(const std::string& id) {
  auto cached = co_await ctx_.cache.get_json(credits_key(id));
  if (cached) co_return *cached;
  auto credits = co_await providers_.credits(id);
  if (!credits) throw NotFound("provider " + id);
  co_await ctx_.cache.set_json(credits_key(id), *credits, 60);
  co_return *credits;
}

Task<nlohmann::json> ModelsService::openai_models() {
  auto snap = co_await registry_->snapshot();
  std::vector<const ModelConfig*> usable;
  for (auto& [id, m] : snap->models)
    if (snap->usable(m)) usable.push_back(&m);
  std::sort(usable.begin(), usable.end(), [](auto* a, auto* b) { return a->id < b->id; });
  nlohmann::json data = nlohmann::json::array();
  for (auto* m : usable) data.push_back(to_openai_json(*m));
  nlohmann::json out = {{"object", "list"}, {"data", std::move(data)}};
  co_return out;
}

Task<std::pair<nlohmann::json, long long>> ModelsService::usage_logs(const UsageFilter& f, const http::Paging& p) {
  co_return co_await usage_.list(f, p);
}

}  // namespace netops::models
