#include "modules/gateway/embeddings_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/json.hpp"
#include "core/metrics.hpp"
#include "llm/pricing.hpp"
#include "modules/gateway/wire.hpp"

namespace netops::gateway {

using nlohmann::json;

namespace {
constexpr std::size_t kMaxInputs = 2048;
constexpr std::size_t kMaxTokenArray = 1'000'000;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string embeddings_url(const ai_registry::Provider& p) { return p.api_endpoint + "/embeddings"; }

bool token_array(const json& a) {
  return a.is_array() && !a.empty() && a.size() <= kMaxTokenArray &&
         std::all_of(a.begin(), a.end(), [](const json& t) { return t.is_number_integer() && t.get<long long>() >= 0; });
}
}  // namespace

bool embeddings_capable(const ai_registry::ModelConfig& m) {
  auto it = m.capabilities.find("embeddings");
  return it != m.capabilities.end() && it->is_boolean() && it->get<bool>();
}

void validate_embeddings_request(const json& body) {
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object (an OpenAI embeddings request)");
  Validation v;
  auto model = body.find("model");
  if (model == body.end() || !model->is_string() || model->get_ref<const std::string&>().empty())
    v.add("model", "is required: an embedding model id (or a rule alias)");
  auto input = body.find("input");
  if (input == body.end() || input->is_null()) {
    v.add("input", "is required: a string, an array of strings, an array of token ids or an array of those");
  } else if (input->is_string()) {
    if (input->get_ref<const std::string&>().empty()) v.add("input", "must not be empty");
  } else if (!input->is_array() || input->empty() || input->size() > kMaxInputs) {
    v.add("input", "must be a non-empty string or array (at most " + std::to_string(kMaxInputs) + " items)");
  } else if (!token_array(*input)) {
    for (std::size_t i = 0; i < input->size(); ++i) {
      const json& x = (*input)[i];
      bool ok = (x.is_string() && !x.get_ref<const std::string&>().empty()) || token_array(x);
      if (!ok) {
        v.add("input[" + std::to_string(i) + "]", "must be a non-empty string or an array of token ids");
        break;
      }
    }
  }
  if (auto f = body.find("encoding_format"); f != body.end() && !f->is_null() && !(*f == "float" || *f == "base64"))
    v.add("encoding_format", "must be float or base64");
  if (auto d = body.find("dimensions"); d != body.end() && !d->is_null() &&
                                        !(d->is_number_integer() && d->get<long long>() >= 1 && d->get<long long>() <= 65536))
    v.add("dimensions", "must be an integer ≥ 1");
  if (auto u = body.find("user"); u != body.end() && !u->is_null() && !u->is_string()) v.add("user", "must be a string");
  v.throw_if_any();
}

std::int64_t estimate_embedding_tokens(const json& input) {
  if (input.is_string()) return estimate_tokens(input.get_ref<const std::string&>());
  if (token_array(input)) return static_cast<std::int64_t>(input.size());
  std::int64_t n = 0;
  if (input.is_array())
    for (const auto& x : input) n += estimate_embedding_tokens(x);
  return n;
}

Task<Embedding> EmbeddingsService::embed(std::shared_ptr<const json> body, Caller caller) {
  validate_embeddings_request(*body);
  auto started = Clock::now();
  std::string requested = (*body)["model"].get<std::string>();
  auto snap = co_await registry_->registry()->snapshot();
  // Resolution as for completions (rules by conditions.models, model ids, bare names, tier:N), on a
  // stand-in chat body so that rule conditions can read the text; then only embedding models remain.
  json facts_body = {{"model", requested}, {"messages", json::array({{{"role", "user"}, {"content", ""}}})}};
  if ((*body)["input"].is_string()) facts_body["messages"][0]["content"] = (*body)["input"];
  RequestFacts facts(facts_body, requested, caller.role, caller.tier);
  Plan plan = resolve(*snap, facts);
  std::vector<Target> targets;
  for (const auto& t : plan.targets)
    if (embeddings_capable(*t.model)) targets.push_back(t);
  if (targets.empty())
    throw ValidationError("model", "\"" + requested + "\" does not resolve to a model that declares the embeddings "
                                   "capability (model capabilities.embeddings = true)");
  if (svc_->budgets().limits(caller.tier).any()) co_await svc_->budgets().check(caller.user_id, caller.tier);

  std::int64_t estimate = estimate_embedding_tokens((*body)["input"]);
  json attempt_log = json::array();
  std::vector<UsageRecord> records;
  struct Push {  // every call is accounted, whatever path leaves this function
    std::vector<UsageRecord>& r;
    Accounting& a;
    ~Push() {
      for (auto& x : r) a.push(std::move(x));
    }
  } push{records, svc_->accounting()};
  bool last_timeout = false;
  std::string last_message;
  int attempts = 0;
  auto& breaker = svc_->breaker();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Target& t = targets[i];
    bool last = i + 1 == targets.size();
    if (!breaker.acquire(t.model->id, Clock::now(), last && attempts == 0)) continue;
    ++attempts;
    CallResult r;
    llm::UpstreamRequest req;
    req.url = embeddings_url(*t.provider);
    req.timeouts = timeouts_;
    req.headers.emplace_back("content-type", "application/json");
    if (!t.provider->api_key.empty() && t.provider->auth_type != "none")
      req.headers.emplace_back("authorization", "Bearer " + t.provider->api_key);
    json up = *body;
    up["model"] = t.model->upstream_model();
    req.body = up.dump();
    auto call_start = Clock::now();
    llm::UpstreamResponse resp;
    bool sent = false;
    try {
      resp = co_await svc_->client().send(std::move(req));
      sent = true;
    } catch (const llm::UpstreamError& e) {
      r.error_code = std::string(llm::kind_name(e.kind));
      r.timeout = e.kind == llm::UpstreamError::Kind::timeout;
      r.message = safe_error_text(e.what());
    } catch (const std::invalid_argument&) {
      r.error_code = "config";
      r.message = "the provider's apiEndpoint is not a usable URL";
    }
    r.upstream_seconds = seconds_since(call_start);
    json parsed;
    if (sent) {
      if (resp.status >= 200 && resp.status < 300) {
        parsed = parse_json(resp.body);
        if (parsed.is_object() && parsed.contains("data")) {
          r.outcome = Outcome::ok;
          r.status = resp.status;
        } else {
          r.status = resp.status;
          r.error_code = "protocol";
          r.message = "the upstream answered with a body that is not an embeddings list";
        }
      } else {
        classify_status(r, resp.status, resp.body, resp.header("retry-after"), resp.header("retry-after-ms"), false,
                        t.provider->id);
      }
    }
    UsageRecord rec;
    rec.user_id = caller.user_id;
    rec.model_id = t.model->id;
    rec.provider = t.provider->id;
    rec.request_id = caller.request_id;
    rec.tier = std::clamp(t.model->tier, 0, 3);
    rec.success = r.outcome == Outcome::ok;
    rec.error_code = rec.success ? std::string() : r.error_code;
    rec.latency_ms = static_cast<int>(seconds_since(started) * 1000.0);
    rec.upstream_latency_ms = static_cast<int>(r.upstream_seconds * 1000.0);
    rec.attempts = attempts;
    auto& m = Metrics::instance();
    m.inc("upstream_requests_total", {{"provider", t.provider->id}, {"model", t.model->id},
                                      {"status", r.status ? std::to_string(r.status) : r.error_code}});
    if (r.outcome == Outcome::ok) {
      breaker.success(t.model->id);
      Usage u;
      if (auto uj = parsed.find("usage"); uj != parsed.end() && uj->is_object()) u = openai_usage(*uj);
      if (!u.reported || u.prompt_total() == 0) {
        u.prompt_tokens = estimate;
        rec.estimated = true;
      }
      u.completion_tokens = 0;
      rec.prompt_tokens = u.prompt_total();
      rec.cache_read_tokens = u.cache_read_tokens;
      rec.cost = cost(u, prices_of(*t.model));
      records.push_back(rec);
      m.inc("tokens_total", {{"provider", t.provider->id}, {"model", t.model->id}, {"kind", "prompt"}},
            static_cast<double>(rec.prompt_tokens));
      Embedding out;
      out.prompt_tokens = rec.prompt_tokens;
      if (auto bytes = with_model(resp.body, t.model->id)) out.body = std::move(*bytes);
      else {
        parsed["model"] = t.model->id;
        out.body = parsed.dump();
      }
      out.served = Served{t.model->id, t.provider->id, t.model->tier, attempts, false};
      co_return out;
    }
    records.push_back(rec);
    if (r.outcome == Outcome::caller_error) {
      breaker.release(t.model->id);
      throw UpstreamRejected(r.status, r.message.empty() ? "the provider refused the request" : r.message,
                             {{"provider", t.provider->id}, {"model", t.model->id}});
    }
    if (r.error_code == "config") breaker.release(t.model->id);
    else breaker.failure(t.model->id, Clock::now());
    last_timeout = r.timeout;
    last_message = r.message.empty() ? r.error_code : r.message;
    json a = {{"model", t.model->id}, {"provider", t.provider->id}, {"message", last_message}};
    if (r.status) a["status"] = r.status;
    else a["error"] = r.error_code;
    attempt_log.push_back(std::move(a));
    spdlog::warn("request {}: embeddings from {} failed: {}", caller.request_id, t.model->id, last_message);
  }
  json details = {{"attempts", attempt_log}};
  if (attempts == 0)
    throw AppError(ErrorCode::no_provider, "every embedding model's circuit breaker is open; try again in a few seconds",
                   std::move(details));
  throw AppError(last_timeout ? ErrorCode::upstream_timeout : ErrorCode::upstream_error,
                 "every upstream attempt failed (" + std::to_string(attempts) + " call(s)); last: " + last_message,
                 std::move(details));
}

}  // namespace netops::gateway
