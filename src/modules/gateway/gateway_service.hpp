#pragma once
// The completion pipeline: validate → resolve the targets (orchestrator) → budget → call them in the
// strategy's order with retries, backoff, circuit breaking and failover → answer (JSON or an SSE stream)
// → account every upstream call. The breaker, the load balancer and the accounting queue are per process;
// everything else lives in one request's Exec.
#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/caller.hpp"
#include "core/error.hpp"
#include "http/response.hpp"
#include "kit/context.hpp"
#include "llm/http_client.hpp"
#include "modules/gateway/accounting.hpp"
#include "modules/gateway/breaker.hpp"
#include "modules/gateway/budget.hpp"
#include "modules/gateway/orchestrator.hpp"
#include "modules/gateway/upstream.hpp"
#include "modules/ai_registry/registry_service.hpp"

#include "modules/gateway/gateway_settings.hpp"

namespace netops::gateway {

using Clock = std::chrono::steady_clock;

// What one call adds to its Caller (who asks, with the request id): the conversation it belongs to (chat)
// and when the request reached the gateway (overhead is measured from there).
struct CallInfo {
  std::optional<std::string> conversation_id;
  Clock::time_point started = Clock::now();
};

// Which model answered (routes show it as the x-netops-* response headers: served_headers.hpp).
struct Served {
  std::string model, provider;
  int tier = 0;
  int attempts = 0;
  bool escalated = false;
};

// What one request spent over all its upstream calls (retries, failover and escalation included): the
// sums of its usage_logs rows (costs at their stored 6 decimals).
struct Spent {
  std::int64_t prompt_tokens = 0, completion_tokens = 0;
  Decimal cost;
  bool estimated = false;           // some call's usage was counted by the gateway, not reported
  std::int64_t answer_tokens = 0;   // completion tokens of the answer that was returned
};
Spent spent_of(const std::vector<UsageRecord>& records);

// Where a request would go, learnt without calling anything (validation, resolution, budget: the errors
// complete() would throw first). Chat sizes a conversation's context with it.
struct Route {
  std::optional<int> context_window;  // the smallest any target declares
  std::optional<int> max_tokens;      // likewise
  // Every target supports function calling (model_configs.supports_functions, or capabilities.functions /
  // capabilities.tools true): chat offers its server-side tools only then.
  bool functions = true;
};

struct Completion {
  ParsedResponse parsed;
  Served served;
  Spent spent;
  std::optional<double> quality;  // escalation only
  double waited_seconds = 0;      // upstream exchanges + backoff: total − this = the gateway's overhead
};

// A provider's 4xx other than 408/429 (the request's own fault), answered with the upstream's status.
class UpstreamRejected : public AppError {
 public:
  UpstreamRejected(int status, std::string message, nlohmann::json details)
      : AppError(ErrorCode::upstream_error, std::move(message), std::move(details)), upstream_status(status) {}
  int upstream_status;
};

class Service;
class StreamJob;

// One request's execution state. Usage records collect here and go to accounting when it is destroyed —
// on every path, exceptions included.
struct Exec {
  std::shared_ptr<const nlohmann::json> body;
  std::shared_ptr<const std::string> raw;  // the body as received, when there is one (HTTP route)
  Caller caller;  // request_id: the correlation id of its usage rows and log lines
  CallInfo call;
  std::shared_ptr<const ai_registry::Snapshot> snap;  // keeps the plan's pointers valid
  std::unique_ptr<RequestFacts> facts;
  Plan plan;
  bool stream = false;
  int retries = 2;
  int attempts = 0;
  double upstream_seconds = 0, backoff_seconds = 0;
  nlohmann::json attempt_log = nlohmann::json::array();
  bool last_timeout = false;
  std::string last_message;
  std::vector<UsageRecord> records;
  std::exception_ptr untranslatable;  // the first target this request cannot be expressed for (its 400)
  Accounting* sink = nullptr;
  // Shutdown (Service::cut_in_flight): the executor the request runs on, the call in flight (a target of
  // plan.targets), the committed stream, and whether the request was cut — its records are pushed then,
  // and it makes no further call.
  boost::asio::any_io_executor executor;
  Service* owner = nullptr;
  const Target* calling = nullptr;
  StreamJob* job = nullptr;
  bool cut = false;

  Exec() = default;
  Exec(const Exec&) = delete;
  Exec& operator=(const Exec&) = delete;
  ~Exec();
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - call.started).count(); }
};

class Service {
 public:
  // registry: ai_registry's service — the routing snapshot, and the provider counters accounting adds to.
  Service(AppContext& ctx, std::shared_ptr<ai_registry::RegistryService> registry, llm::HttpClient& client);

  // A non-streamed completion (the route and other modules, e.g. chat). Throws AppError (400, 404, 429
  // BUDGET_EXCEEDED, 502/503/504) or UpstreamRejected, as the route answers.
  // `raw`: the body's bytes as received, if any (OpenAI upstreams then get them edited, not re-serialised).
  Task<Completion> complete(std::shared_ptr<const nlohmann::json> body, Caller caller, CallInfo call = {},
                            std::shared_ptr<const std::string> raw = nullptr);
  // A streamed one: returns once a stream is committed (NETOPS_STREAM_COMMIT; failover happens before that).
  Task<std::shared_ptr<StreamJob>> open_stream(std::shared_ptr<const nlohmann::json> body, Caller caller,
                                               CallInfo call = {}, std::shared_ptr<const std::string> raw = nullptr);
  Task<Route> preflight(std::shared_ptr<const nlohmann::json> body, Caller caller, CallInfo call = {});

  Accounting& accounting() { return accounting_; }
  // At the end of the shutdown grace period: every request still calling an upstream or streaming is cut —
  // its stream cancelled, the call in flight accounted as failed with error_code SHUTDOWN (tokens counted
  // so far, or estimated) and its records pushed to accounting now, since its destructor will not run.
  // Returns once every cut has run (or after a few seconds).
  Task<void> cut_in_flight();
  void forget(Exec* x);  // ~Exec
  std::size_t in_flight() const;  // requests between prepare() and their end
  CircuitBreaker& breaker() { return breaker_; }
  llm::HttpClient& client() { return client_; }
  Budgets& budgets() { return budgets_; }  // embeddings (embeddings_service.cpp)

  // Steps shared with the stream job (stream.cpp).
  void after_failure(Exec& x, const Target& t, const CallResult& r);
  UsageRecord base_record(const Exec& x, const Target& t, const CallResult& r) const;
  // Fills tokens (estimated where the upstream reported none), cost and metrics of a call that produced output.
  void charge(Exec& x, const Target& t, UsageRecord& rec, Usage usage, const std::string& text,
              std::int64_t estimated_completion) const;
  void observe_call(const Target& t, const CallResult& r) const;
  [[noreturn]] void throw_exhausted(const Exec& x) const;

 private:
  // dry_run: resolve and check the budget only (no strategy ordering: the load balancer does not move).
  Task<std::shared_ptr<Exec>> prepare(std::shared_ptr<const nlohmann::json> body, Caller caller, CallInfo call,
                                      bool stream, std::shared_ptr<const std::string> raw, bool dry_run = false);
  // Inside a catch block of a call that was not made: frees the circuit's probe and the attempt; true when
  // the request merely cannot be expressed for this target (kept in x.untranslatable), false to rethrow.
  bool not_called(Exec& x, const Target& t);
  Task<std::optional<CallResult>> try_target(Exec& x, const Target& t, bool forced);
  Task<std::optional<StreamOpen>> try_stream_target(Exec& x, const Target& t, bool forced);
  // Decides after a failed call: wait and retry (true) or move on (false).
  Task<bool> retry_wait(Exec& x, const Target& t, const CallResult& r, int retry);
  Task<Completion> run_calls(Exec& x);
  Task<Completion> run_escalation(Exec& x);
  Completion success(Exec& x, const Target& t, CallResult& r, std::optional<double> quality);

  AppContext& ctx_;
  const GatewaySettings settings_;
  std::shared_ptr<ai_registry::RegistryService> registry_;
  llm::HttpClient& client_;
  llm::Timeouts timeouts_;
  CircuitBreaker breaker_;
  LoadBalancer balancer_;
  Accounting accounting_;
  Budgets budgets_;
  mutable std::mutex live_mu_;
  struct Live {
    std::weak_ptr<Exec> x;
    boost::asio::any_io_executor executor;
  };
  std::unordered_map<Exec*, Live> live_;  // requests between prepare() and ~Exec
  std::shared_ptr<std::atomic<int>> cut_streams_ = std::make_shared<std::atomic<int>>(0);  // cut, still writing
  void cut(Exec& x);  // on x's executor
  std::array<double, 4> thresholds_;
};

// A committed stream: the response headers can be written (and `first`, when the first event is in).
class StreamJob {
 public:
  StreamJob(Service& svc, std::shared_ptr<Exec> x, Target t, CallResult opened, std::unique_ptr<LiveStream> live);
  ~StreamJob();  // accounts the call if the stream never ran to its end (the client left before the first byte)
  const Served& served() const { return served_; }
  // After pump(): what the request spent (the stream's call and every failed attempt before it).
  Spent spent() const;
  // Writes the stream to the client; cancels the upstream at once when the client goes away.
  static Task<void> pump(std::shared_ptr<StreamJob> job, http::StreamWriter& out);

 private:
  friend class Service;  // cut_in_flight() finishes a stream that is still running
  void finish(bool client_gone, const std::string& error_code);

  Service& svc_;
  std::shared_ptr<Exec> x_;
  Target target_;
  CallResult opened_;
  std::unique_ptr<LiveStream> live_;
  Served served_;
  Clock::time_point upstream_started_;
  bool finished_ = false;
  std::shared_ptr<std::atomic<int>> cut_counter_;  // set when cut at shutdown: decremented when the job ends
};

// Validates the OpenAI request body: 400 VALIDATION_ERROR naming every wrong field.
void validate_request(const nlohmann::json& body);

}  // namespace netops::gateway
