#include "modules/tools/registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "core/error.hpp"

namespace netops::tools {

using nlohmann::json;
namespace net = boost::asio;

namespace {

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 64 || !(n[0] >= 'a' && n[0] <= 'z')) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

const char* status_name(Outcome::Status s) {
  switch (s) {
    case Outcome::Status::ok: return "ok";
    case Outcome::Status::invalid_arguments: return "invalid_arguments";
    case Outcome::Status::failed: return "failed";
    case Outcome::Status::timed_out: return "timed_out";
  }
  return "failed";
}

// The run of one tool, shared between the waiting caller and the (detached) tool coroutine: a tool that
// outlives its timeout finishes in the background and its result is dropped.
struct Run {
  explicit Run(const net::any_io_executor& ex) : timer(ex) {}
  net::steady_timer timer;
  bool done = false;
  json result;
  std::exception_ptr failure;
};

// A coroutine's parameters live in its frame: this one outlives invoke() when the tool times out.
Task<void> run_tool(std::shared_ptr<Run> run, std::function<Task<json>(const json&, const Caller&)> fn, json args,
                    Caller by) {
  try {
    run->result = co_await fn(args, by);
  } catch (...) {
    run->failure = std::current_exception();
  }
  run->done = true;
  run->timer.cancel();
}

}  // namespace

json Outcome::for_model() const {
  if (ok()) return result;
  json e = {{"code", code}, {"message", message}};
  if (status == Status::invalid_arguments) e["errors"] = to_json(errors);
  return json{{"error", std::move(e)}};
}

Registry::Registry(AppContext& ctx, ToolsSettings settings, std::shared_ptr<audit::AuditService> audit)
    : ctx_(ctx), settings_(std::move(settings)), audit_(std::move(audit)) {}

void Registry::add(Tool t) {
  if (!valid_name(t.name)) throw std::logic_error("tool name must match ^[a-z][a-z0-9_]{0,63}$: " + t.name);
  if (find(t.name)) throw std::logic_error("tool registered twice: " + t.name);
  if (!t.input_schema.is_object() || t.input_schema.value("type", "") != "object")
    throw std::logic_error("tool " + t.name + ": inputSchema must be an object schema");
  if (!t.run) throw std::logic_error("tool " + t.name + " has no run function");
  if (t.timeout.count() <= 0) t.timeout = std::chrono::milliseconds(settings_.timeout_ms);
  tools_.push_back(std::make_unique<Tool>(std::move(t)));
}

const Tool* Registry::find(const std::string& name) const {
  for (const auto& t : tools_)
    if (t->name == name) return t.get();
  return nullptr;
}

std::vector<const Tool*> Registry::visible(const Caller& by) const {
  std::vector<const Tool*> out;
  for (const auto& t : tools_)
    if (allowed(*t, by)) out.push_back(t.get());
  return out;
}

json Registry::describe(const Tool& t) const {
  json j = {{"name", t.name},
            {"title", t.title},
            {"description", t.description},
            {"inputSchema", t.input_schema},
            {"minRole", std::string(role_name(t.min_role))},
            {"readOnly", t.read_only},
            {"timeoutMs", t.timeout.count()}};
  if (!t.output_schema.is_null()) j["outputSchema"] = t.output_schema;
  return j;
}

json Registry::function_definition(const Tool& t) {
  return {{"type", "function"},
          {"function", {{"name", t.name}, {"description", t.description}, {"parameters", t.input_schema}}}};
}

Task<Outcome> Registry::invoke(const Tool& t, json args, const Caller& by, std::string via) {
  Outcome out;
  auto started = std::chrono::steady_clock::now();
  if (args.is_null()) args = json::object();
  out.errors = validate(t.input_schema, args);
  if (!out.errors.empty()) {
    out.status = Outcome::Status::invalid_arguments;
    out.code = "VALIDATION_ERROR";
    out.error = ErrorCode::validation;
    out.message = "the arguments do not match the tool's input schema: " + tools::describe(out.errors);
  } else {
    auto ex = co_await net::this_coro::executor;
    auto run = std::make_shared<Run>(ex);
    run->timer.expires_after(t.timeout);
    net::co_spawn(ex, run_tool(run, t.run, args, by), net::detached);
    if (!run->done) {
      boost::system::error_code ec;
      co_await run->timer.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    if (!run->done) {
      out.status = Outcome::Status::timed_out;
      out.code = "TOOL_TIMEOUT";
      out.error = ErrorCode::upstream_timeout;
      out.message = "the tool did not answer within " + std::to_string(t.timeout.count()) + " ms";
    } else if (run->failure) {
      out.status = Outcome::Status::failed;
      try {
        std::rethrow_exception(run->failure);
      } catch (const AppError& e) {
        out.code = std::string(code_name(e.code()));
        out.error = e.code();
        out.details = e.details();
        out.message = e.what();
        if (auto errs = e.details().find("errors"); errs != e.details().end()) out.message += ": " + errs->dump();
      } catch (const std::exception& e) {
        spdlog::error("request {}: tool {} failed: {}", by.request_id, t.name, e.what());
        out.code = "INTERNAL_ERROR";
        out.message = "the tool failed";
      }
    } else {
      out.result = run->result.is_object() ? std::move(run->result) : json{{"result", std::move(run->result)}};
    }
  }
  out.duration_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  // The audit row: who ran what, how it ended. Arguments are kept (they are small: schemas cap them).
  audit::Entry e;
  if (by.authenticated()) e.user_id = by.user_id;
  e.action = "tool.invoked";
  e.resource = "tool:" + t.name;
  std::string args_text = args.dump(-1, ' ', false, json::error_handler_t::replace);
  e.details = {{"via", via},
               {"outcome", status_name(out.status)},
               {"durationMs", out.duration_ms},
               {"readOnly", t.read_only},
               {"arguments", args_text.size() <= 4096 ? args : json(args_text.substr(0, 4096))}};
  if (!by.api_key_id.empty()) e.details["apiKeyId"] = by.api_key_id;
  if (!out.ok()) e.details["error"] = out.code;
  e.correlation_id = by.request_id;
  try {
    co_await audit_->record(e);
  } catch (const std::exception& ex) {
    spdlog::error("request {}: audit row of tool {} not written: {}", by.request_id, t.name, ex.what());
  }
  co_return out;
}

}  // namespace netops::tools
