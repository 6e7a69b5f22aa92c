// One chat turn: the user's input stored, the context built, the gateway called, the answer stored.
#include "modules/chat/turn_service.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "core/json.hpp"
#include "core/upstream_error.hpp"
#include "llm/pricing.hpp"
#include "modules/chat/chat_body.hpp"
#include "modules/chat/stream_relay.hpp"

namespace netops::chat {

using nlohmann::json;
namespace net = boost::asio;

namespace {

int elapsed_ms(Clock::time_point since) {
  return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

gateway::CallInfo call_info(const Turn& t) {
  gateway::CallInfo call;
  call.conversation_id = t.conversation.id;
  call.started = t.started;
  return call;
}

// The ids of the tool calls an assistant message made.
std::vector<std::string> call_ids(const json& tool_calls) {
  std::vector<std::string> ids;
  if (tool_calls.is_array())
    for (const auto& c : tool_calls)
      if (c.is_object() && c.contains("id") && c["id"].is_string()) ids.push_back(c["id"].get<std::string>());
  return ids;
}

}  // namespace

nlohmann::json to_json(const TurnAnswer& a) {
  double cost_number = static_cast<double>(a.spent.cost.raw()) / Decimal::kOne;
  json out = {{"message", a.content},
              {"conversationId", a.conversation_id},
              {"messageId", a.message_id},
              {"userMessageId", a.user_message_id ? json(*a.user_message_id) : json()},
              {"model", a.served.model},
              {"provider", a.served.provider},
              {"tier", a.served.tier},
              {"escalated", a.served.escalated},
              {"finishReason", a.finish_reason},
              {"usage",
               {{"promptTokens", a.spent.prompt_tokens},
                {"completionTokens", a.spent.completion_tokens},
                {"totalTokens", a.spent.prompt_tokens + a.spent.completion_tokens},
                {"estimatedCost", cost_number},
                {"cost", a.cost}}},
              {"latencyMs", a.latency_ms}};
  if (!a.tool_calls.is_null()) out["toolCalls"] = a.tool_calls;
  if (a.tool_rounds > 0 || a.tool_limit) {
    out["toolRounds"] = a.tool_rounds;
    out["toolLimitReached"] = a.tool_limit;
    out["turnTokens"] = a.turn_tokens;
    if (!a.stop_reason.empty()) out["stopReason"] = a.stop_reason;
  }
  return out;
}

TurnService::TurnService(AppContext& ctx, std::shared_ptr<gateway::Service> gateway, std::shared_ptr<ChatRepo> repo,
                         std::shared_ptr<ContextRepo> contexts, std::shared_ptr<audit::AuditService> audit,
                         std::shared_ptr<ToolSlot> tools)
    : ctx_(ctx), settings_(load_section(ctx.config, chat_section())), gateway_(gateway), repo_(repo), contexts_(contexts), audit_(std::move(audit)),
      summaries_(ctx, gateway, repo, contexts, tasks_), tools_(tools ? std::move(tools) : std::make_shared<ToolSlot>()) {}

Task<std::shared_ptr<Turn>> TurnService::begin(const SendInput& in, const Caller& c) {
  auto t = std::make_shared<Turn>();
  t->caller = c;
  t->executor = co_await net::this_coro::executor;
  std::optional<Conversation> conv;
  if (in.conversation_id) {
    conv = co_await repo_->find_conversation(c.user_id, *in.conversation_id);
    if (!conv) throw NotFound("conversation");
    if (conv->status == "archived")
      throw Conflict("the conversation is archived: set its status to active to continue it", {{"status", "archived"}});
  }
  std::string model = in.model ? *in.model : conv ? conv->model : std::string("auto");

  // The server's tools (the tool loop): "auto" → every tool the caller may use; a list → those, each known
  // and permitted. Client-defined tools (an array of definitions) pass through as before.
  // A conversation may enable them for all its turns: metadata.tools ("auto" or a list of names), used
  // when the request names no tools itself.
  json server_tools = in.server_tools;
  if (server_tools.is_null() && in.tools.is_null() && conv)
    if (auto m = conv->metadata.find("tools"); m != conv->metadata.end()) {
      bool names = m->is_array() && !m->empty() && m->size() <= 64;
      if (names)
        for (const auto& n : *m) names = names && n.is_string();
      if (*m == "auto" || names) server_tools = *m;
    }
  if (server_tools == "none") server_tools = nullptr;
  json tool_defs = in.tools;
  if (!server_tools.is_null()) {
    t->registry = tools_->registry;
    if (!t->registry) throw AppError(ErrorCode::service_unavailable, "the tool registry is not available");
    if (!in.tools.is_null()) throw ValidationError("tools", "give server tool names or tool definitions, not both");
    if (server_tools.is_string()) {
      t->offered = t->registry->visible(c);
    } else {
      Validation v;
      for (std::size_t i = 0; i < server_tools.size(); ++i) {
        const auto name = server_tools[i].get<std::string>();
        const tools::Tool* tool = t->registry->find(name);
        if (!tool || !t->registry->allowed(*tool, c))
          v.add("tools[" + std::to_string(i) + "]", "is not a tool you may use: " + name);
        else
          t->offered.push_back(tool);
      }
      v.throw_if_any();
    }
    if (!t->offered.empty()) {
      tool_defs = json::array();
      for (const auto* tool : t->offered) tool_defs.push_back(tools::Registry::function_definition(*tool));
    }
  }

  // Route first: an unknown model, no usable provider or an exhausted budget refuse the turn before
  // anything is stored. The route also tells the context window: the smallest of the models the request
  // may go to.
  auto routed = [&](json messages) -> Task<gateway::Route> {
    json b = {{"model", model}, {"messages", std::move(messages)}};
    if (!tool_defs.is_null()) b["tools"] = tool_defs;
    auto ptr = std::make_shared<const json>(std::move(b));
    gateway::CallInfo call;
    co_return co_await gateway_->preflight(ptr, c, call);
  };
  json lone = json::array({{{"role", "user"}, {"content", in.message.value_or("")}}});
  auto route = co_await routed(std::move(lone));
  if (!t->offered.empty() && !route.functions) {
    // The model (or a model the request may go to) cannot call functions.
    if (!server_tools.is_string())
      throw Unprocessable("the model does not support function calling: choose a model with supportsFunctions",
                          {{"model", model}});
    t->offered.clear();
    tool_defs = nullptr;
    json retry = json::array({{{"role", "user"}, {"content", in.message.value_or("")}}});
    route = co_await routed(std::move(retry));
  }

  // The input as it will be stored, and the prompt it makes with the history.
  std::vector<NewMessage> inputs;
  for (const auto& r : in.tool_results) {
    NewMessage m;
    m.role = "tool";
    m.content = r.content;
    m.tool_call_id = r.tool_call_id;
    m.token_count = estimate_tokens(r.content);
    inputs.push_back(std::move(m));
  }
  if (in.message) {
    NewMessage m;
    m.role = "user";
    m.content = *in.message;
    m.token_count = estimate_tokens(*in.message);
    inputs.push_back(std::move(m));
  }
  ContextSnapshot snap;
  if (conv) snap = co_await contexts_->load(conv->id, conv->context_version);
  std::optional<std::string> system_prompt = in.system_prompt;
  if (!system_prompt && conv)
    if (auto s = conv->metadata.find("systemPrompt"); s != conv->metadata.end() && s->is_string())
      system_prompt = s->get<std::string>();
  ContextSnapshot draft = snap;
  for (const auto& m : inputs) draft.messages.push_back(ContextMessage{0, m.role, m.content, json(), m.tool_call_id, false});
  const std::int64_t tools_tokens = tool_defs.is_null() ? 0 : estimate_tokens(tool_defs.dump());
  int window = 0, reserve = 0;
  auto fit = [&](const gateway::Route& r) {
    window = r.context_window.value_or(settings_.default_context_window);
    reserve = in.max_tokens ? *in.max_tokens
              : r.max_tokens ? std::min(*r.max_tokens, window / 2)
                             : std::min(1024, window / 4);
    if (reserve >= window)
      throw ValidationError("maxTokens", "must be less than the model's context window (" + std::to_string(window) + ")");
    return build_prompt(draft, system_prompt, window - reserve - tools_tokens);
  };
  auto prompt = fit(route);
  // Rules may route the whole prompt elsewhere than the lone message (prompt-size or complexity
  // conditions): when the models it may go to have a smaller window, fit it to that one.
  if (prompt.fits && !prompt.messages.empty()) {
    json whole = prompt.messages;
    auto second = co_await routed(std::move(whole));
    if (second.context_window.value_or(settings_.default_context_window) < window) prompt = fit(second);
  }
  if (!prompt.fits)
    throw Unprocessable("the message does not fit the model's context window",
                        {{"contextWindow", window}, {"reservedForAnswer", reserve}, {"toolsTokens", tools_tokens},
                         {"messageTokens", message_tokens(draft.messages.back())}});

  // The common turn — a message into an existing conversation, nothing else to change — is one statement
  // (the insert moves the conversation's counters with it); the rest needs the conversation locked.
  auto remembered = [](const Conversation& cv) {
    auto it = cv.metadata.find("systemPrompt");
    return it != cv.metadata.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  bool simple = conv && in.tool_results.empty() && (!in.system_prompt || remembered(*conv) == *in.system_prompt);
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    if (!conv) {
      json metadata = json::object();
      if (in.system_prompt) metadata["systemPrompt"] = *in.system_prompt;
      std::string title = title_from(in.message.value_or("")), model_ref = in.model.value_or("auto");
      conv = co_await repo_->insert_conversation(tx, c.user_id, title, model_ref, metadata);
      t->created = true;
      std::string action = "conversation.created", resource = "conversation:" + conv->id;
      json details = {{"after", audit_view(*conv)}, {"by", "chat message"}};
      co_await audit_->record(tx, c, action, resource, details);
    } else {
      auto locked = co_await repo_->lock_conversation(tx, c.user_id, conv->id);
      if (!locked) throw NotFound("conversation");
      if (locked->status == "archived")
        throw Conflict("the conversation is archived: set its status to active to continue it", {{"status", "archived"}});
      if (in.system_prompt && remembered(*locked) != *in.system_prompt) {
        ConversationPatch p;
        p.metadata = json{{"systemPrompt", *in.system_prompt}};
        co_await repo_->update_conversation(tx, conv->id, p);
      }
    }
    if (!in.tool_results.empty()) {
      // Results answer the calls of the last assistant message that have none yet, and only while nothing
      // but tool results came after it.
      std::vector<std::string> open;
      if (auto last = co_await repo_->last_assistant(tx, conv->id)) {
        open = call_ids(last->tool_calls);
        auto after = co_await repo_->messages_after(conv->id, last->seq, &tx);
        for (const auto& m : after) {
          if (m.role != "tool") {
            open.clear();
            break;
          }
          open.erase(std::remove(open.begin(), open.end(), m.tool_call_id.value_or("")), open.end());
        }
      }
      Validation v;
      std::vector<std::string> seen;
      for (std::size_t i = 0; i < in.tool_results.size(); ++i) {
        const auto& id = in.tool_results[i].tool_call_id;
        if (std::find(open.begin(), open.end(), id) == open.end() ||
            std::find(seen.begin(), seen.end(), id) != seen.end())
          v.add("toolResults[" + std::to_string(i) + "].toolCallId",
                "is not an open tool call of the conversation's last assistant message");
        seen.push_back(id);
      }
      if (!v.empty())
        throw Unprocessable("tool results must answer the open tool calls of the last assistant message",
                            {{"errors", v.errors()}, {"openToolCalls", open}});
    }
    for (const auto& m : inputs) {
      auto [stored, version] = co_await repo_->insert_message(&tx, conv->id, m);
      t->input_ids.push_back(stored.id);
      t->stored_versions.emplace_back(stored.seq, version);
    }
  };
  if (simple) {
    auto [stored, version] = co_await repo_->insert_message(nullptr, conv->id, inputs.front(), /*only_active=*/true);
    t->input_ids.push_back(stored.id);
    t->stored_versions.emplace_back(stored.seq, version);
  } else {
    co_await ctx_.db.transaction(in_tx);
  }
  t->conversation = *conv;
  // The context follows the writes just made in memory; it is cached once, with the answer (store_answer).
  t->context = std::move(snap);
  t->context_current = true;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    ContextMessage m{t->stored_versions[i].first, inputs[i].role, inputs[i].content, json(), inputs[i].tool_call_id,
                     false};
    t->context_current = t->context_current && advance(t->context, t->stored_versions[i].second, std::move(m));
  }

  json body = {{"model", model}, {"messages", std::move(prompt.messages)}};
  if (in.temperature) body["temperature"] = *in.temperature;
  if (in.max_tokens) body["max_tokens"] = *in.max_tokens;
  if (!tool_defs.is_null()) body["tools"] = tool_defs;
  if (in.stream) body["stream"] = true;
  t->body = std::make_shared<const json>(std::move(body));
  t->prompt_info = {{"messages", prompt.included}, {"cut", prompt.cut}, {"summaryUsed", prompt.summary_used},
                    {"estimatedTokens", prompt.tokens}, {"contextWindow", window}};
  co_return t;
}

namespace {

void add_spent(gateway::Spent& total, const gateway::Spent& s) {
  total.prompt_tokens += s.prompt_tokens;
  total.completion_tokens += s.completion_tokens;
  total.cost += s.cost;
  total.estimated = total.estimated || s.estimated;
  total.answer_tokens = s.answer_tokens;
}

std::int64_t tokens_of(const gateway::Spent& s) { return s.prompt_tokens + s.completion_tokens; }

// The answer of a turn that ran tools (or stopped them): usage and cost summed over every round.
void with_rounds(TurnAnswer& out, const gateway::Spent& total, int rounds, const std::string& stop) {
  if (rounds == 0 && stop.empty()) return;
  out.spent = total;
  out.cost = total.cost.to_string(6);
  out.tool_rounds = rounds;
  out.tool_limit = !stop.empty();
  out.stop_reason = stop;
  out.turn_tokens = tokens_of(total);
}

// The tool error that answers a call the loop will not run.
tools::Outcome refusal(const std::string& stop, const tools::ToolsSettings& settings) {
  tools::Outcome o;
  o.status = tools::Outcome::Status::failed;
  if (stop == "token_budget") {
    o.code = "TOKEN_BUDGET_EXHAUSTED";
    o.message = "not run: this turn has used its token budget (" + std::to_string(settings.max_turn_tokens) +
                " tokens); answer with what you have";
  } else {
    o.code = "TOOL_LIMIT_REACHED";
    o.message = "not run: this turn has made its " + std::to_string(settings.max_rounds) +
                " rounds of tool calls; answer with what you have";
  }
  return o;
}

// The pieces of one OpenAI tool call.
struct Call {
  std::string id, name, arguments;
};
Call call_of(const json& c) {
  Call out;
  if (!c.is_object()) return out;
  if (auto id = c.find("id"); id != c.end() && id->is_string()) out.id = id->get<std::string>();
  if (auto f = c.find("function"); f != c.end() && f->is_object()) {
    if (auto n = f->find("name"); n != f->end() && n->is_string()) out.name = n->get<std::string>();
    if (auto a = f->find("arguments"); a != f->end()) out.arguments = a->is_string() ? a->get<std::string>() : a->dump();
  }
  return out;
}

// Several tool calls of one turn run at once; the turn waits for all (each is bounded by its timeout).
struct Batch {
  explicit Batch(const net::any_io_executor& ex, std::size_t n) : timer(ex), outcomes(n) {}
  net::steady_timer timer;
  std::vector<tools::Outcome> outcomes;
  std::size_t remaining = 0;
};

// One call of a batch (parameters live in the coroutine frame).
Task<void> run_one(std::shared_ptr<Batch> batch, std::shared_ptr<tools::Registry> registry, const tools::Tool* tool,
                   json args, Caller by, std::size_t i) {
  try {
    std::string via = "chat";
    batch->outcomes[i] = co_await registry->invoke(*tool, args, by, via);
  } catch (const std::exception&) {
    batch->outcomes[i].status = tools::Outcome::Status::failed;
    batch->outcomes[i].code = "INTERNAL_ERROR";
    batch->outcomes[i].message = "the tool failed";
  }
  if (--batch->remaining == 0) batch->timer.cancel();
}

}  // namespace

bool TurnService::calls_tools(const Turn& t, const Answer& a) const {
  return !a.error && !t.offered.empty() && t.registry && a.tool_calls.is_array() && !a.tool_calls.empty();
}

std::string TurnService::stop_of(const Turn& t, const gateway::Spent& total, int rounds, bool final_round) const {
  const auto& settings = t.registry->settings();
  if (final_round) return "max_rounds";
  if (tokens_of(total) >= settings.max_turn_tokens) return "token_budget";
  if (rounds >= settings.max_rounds) return "max_rounds";
  return "";
}

void TurnService::final_round_body(Turn& t) const {
  json body = *t.body;
  body["tool_choice"] = "none";
  t.body = std::make_shared<const json>(std::move(body));
}

Task<void> TurnService::run_tools(Turn& t, const Answer& a, http::StreamWriter* out, const std::string& refused) {
  const auto& settings = t.registry->settings();
  std::vector<Call> calls;
  for (const auto& c : a.tool_calls) calls.push_back(call_of(c));
  if (calls.size() > 32) calls.resize(32);  // the rest are answered below as refused
  auto ex = co_await net::this_coro::executor;
  auto batch = std::make_shared<Batch>(ex, calls.size());
  batch->timer.expires_after(std::chrono::hours(1));
  if (out) {
    std::string events;
    for (const auto& c : calls)
      events += sse_event({{"type", "tool_call"}, {"toolCallId", c.id}, {"name", c.name}, {"arguments", c.arguments}});
    co_await out->write(events);
  }
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const auto& c = calls[i];
    const tools::Tool* tool = nullptr;
    for (const auto* o : t.offered)
      if (o->name == c.name) tool = o;
    json args = c.arguments.empty() ? json::object() : parse_json(c.arguments);
    tools::Outcome& slot = batch->outcomes[i];
    if (!refused.empty()) {
      slot = refusal(refused, settings);
      continue;
    }
    if (!tool) {
      slot.status = tools::Outcome::Status::failed;
      slot.code = "UNKNOWN_TOOL";
      slot.message = "no tool named \"" + c.name.substr(0, 64) + "\" was offered";
      continue;
    }
    if (args.is_discarded() || !args.is_object()) {
      slot.status = tools::Outcome::Status::invalid_arguments;
      slot.code = "VALIDATION_ERROR";
      slot.message = "the arguments must be a JSON object";
      slot.errors.push_back({"arguments", "must be a JSON object"});
      continue;
    }
    ++batch->remaining;
    net::co_spawn(ex, run_one(batch, t.registry, tool, args, t.caller, i), net::detached);
  }
  while (batch->remaining > 0) {
    boost::system::error_code ec;
    co_await batch->timer.async_wait(net::redirect_error(net::use_awaitable, ec));
  }

  // Stored in call order, then offered to the model with the assistant message that made the calls.
  json body = *t.body;
  json assistant = {{"role", "assistant"}, {"content", a.content.empty() ? json() : json(a.content)}, {"tool_calls", a.tool_calls}};
  body["messages"].push_back(std::move(assistant));
  std::string events;
  for (std::size_t i = 0; i < a.tool_calls.size(); ++i) {
    Call c = i < calls.size() ? calls[i] : call_of(a.tool_calls[i]);
    tools::Outcome o;
    if (i < calls.size()) o = batch->outcomes[i];
    else if (!refused.empty()) o = refusal(refused, settings);
    else {
      o.status = tools::Outcome::Status::failed;
      o.code = "TOO_MANY_CALLS";
      o.message = "at most 32 tool calls run in one turn";
    }
    std::string content = o.for_model().dump(-1, ' ', false, json::error_handler_t::replace);
    if (content.size() > static_cast<std::size_t>(settings.result_max_chars)) {
      std::size_t cut = static_cast<std::size_t>(settings.result_max_chars);
      while (cut > 0 && (static_cast<unsigned char>(content[cut]) & 0xC0) == 0x80) --cut;
      content = content.substr(0, cut) + " … [cut: the result was " + std::to_string(content.size()) +
                " characters; ask for less, e.g. a smaller limit]";
    }
    NewMessage m;
    m.role = "tool";
    m.content = content;
    m.tool_call_id = c.id;
    m.token_count = estimate_tokens(content);
    m.metadata = {{"requestId", t.caller.request_id}, {"tool", c.name}, {"outcome", o.ok() ? "ok" : o.code},
                  {"durationMs", o.duration_ms}};
    if (!refused.empty()) m.metadata["notRun"] = refused;
    auto stored = co_await repo_->insert_message(nullptr, t.conversation.id, m);
    ContextMessage cm{stored.first.seq, "tool", content, json(), c.id, false};
    t.context_current = t.context_current && advance(t.context, stored.second, std::move(cm));
    body["messages"].push_back({{"role", "tool"}, {"tool_call_id", c.id}, {"content", content}});
    if (out) {
      json e = {{"type", "tool_result"}, {"toolCallId", c.id}, {"name", c.name}, {"ok", o.ok()},
                {"messageId", stored.first.id}, {"durationMs", o.duration_ms}};
      if (o.ok()) e["result"] = o.result;
      else e["error"] = o.for_model()["error"];
      events += sse_event(e);
    }
  }
  if (out && !events.empty()) co_await out->write(events);
  t.body = std::make_shared<const json>(std::move(body));
}

Task<TurnAnswer> TurnService::answer(std::shared_ptr<Turn> t) {
  gateway::Spent total;
  int rounds = 0;
  bool final_round = false;  // the one call after the round limit, with tool_choice "none"
  for (;;) {
    auto call = call_info(*t);
    auto c = co_await gateway_->complete(t->body, t->caller, call);
    Answer a;
    a.finish_reason = c.parsed.finish_reason;
    a.content = c.parsed.text;
    const json& resp = c.parsed.object();
    if (auto ch = resp.find("choices"); ch != resp.end() && ch->is_array() && !ch->empty() && (*ch)[0].is_object())
      if (auto msg = (*ch)[0].find("message"); msg != (*ch)[0].end() && msg->is_object())
        if (auto calls = msg->find("tool_calls"); calls != msg->end() && calls->is_array() && !calls->empty())
          a.tool_calls = *calls;
    auto served = c.served;
    add_spent(total, c.spent);
    const bool calls = calls_tools(*t, a);
    const std::string stop = calls ? stop_of(*t, total, rounds, final_round) : final_round ? "max_rounds" : "";
    a.stop_reason = stop;
    auto stored = co_await store_answer(*t, a, served, c.spent);
    if (calls && stop.empty()) {
      ++rounds;
      co_await run_tools(*t, a, nullptr);
      continue;
    }
    if (calls) {
      // Stopped with calls open: each gets its tool error, so the conversation stays valid; after the round
      // limit the model answers once more without tools (when the budget allows).
      co_await run_tools(*t, a, nullptr, stop);
      if (stop == "max_rounds" && !final_round && tokens_of(total) < t->registry->settings().max_turn_tokens) {
        final_round = true;
        final_round_body(*t);
        continue;
      }
    }
    with_rounds(stored, total, rounds, stop);
    co_return stored;
  }
}

Task<std::shared_ptr<gateway::StreamJob>> TurnService::open_stream(std::shared_ptr<Turn> t) {
  auto call = call_info(*t);
  co_return co_await gateway_->open_stream(t->body, t->caller, call);
}

Task<void> TurnService::relay(std::shared_ptr<Turn> t, std::shared_ptr<gateway::StreamJob> job,
                              http::StreamWriter* out) {
  bool gone = !out;
  if (out) {
    json start = {{"type", "start"},
                  {"conversationId", t->conversation.id},
                  {"userMessageId", t->input_ids.empty() ? json() : json(t->input_ids.back())},
                  {"model", job->served().model},
                  {"provider", job->served().provider}};
    std::string event = sse_event(start);
    gone = !co_await out->write(event);
  }
  gateway::Spent total;
  int rounds = 0;
  bool final_round = false;  // the one call after the round limit, with tool_choice "none"
  for (;;) {
    StreamRelay relay(gone ? nullptr : out);
    co_await gateway::StreamJob::pump(job, relay);
    gone = gone || relay.gone();
    Answer a;
    a.content = relay.text();
    a.tool_calls = relay.tool_calls();
    a.finish_reason = relay.finish_reason();
    a.error = relay.error();
    if (!a.error && a.finish_reason.empty()) a.error = "the upstream stream ended before its last event";
    auto spent = job->spent();
    auto served = job->served();
    add_spent(total, spent);
    const bool calls = calls_tools(*t, a);
    const std::string stop = calls ? stop_of(*t, total, rounds, final_round) : final_round ? "max_rounds" : "";
    a.stop_reason = stop;
    // Stopped with calls open after the round limit: refused, then one last round without tools.
    const bool last_call = calls && stop == "max_rounds" && !final_round &&
                           tokens_of(total) < t->registry->settings().max_turn_tokens;
    const bool more = calls && (stop.empty() || last_call);
    json summary;
    bool stored = false;
    try {
      auto answer = co_await store_answer(*t, a, served, spent);
      with_rounds(answer, total, rounds, more ? std::string() : stop);
      summary = to_json(answer);
      stored = true;
    } catch (const std::exception& e) {
      spdlog::error("request {}: storing the streamed answer of conversation {} failed: {}", t->caller.request_id,
                    t->conversation.id, e.what());
    }
    if (stored && more) {
      if (stop.empty()) ++rounds;
      std::optional<std::string> failure;
      json failure_object;
      try {
        co_await run_tools(*t, a, gone ? nullptr : out, stop);
        if (!stop.empty()) {
          final_round = true;
          final_round_body(*t);
        }
        job = co_await open_stream(t);
        continue;
      } catch (const AppError& e) {
        failure_object = error_object(e.code(), e.what());
        failure = e.what();
      } catch (const std::exception& e) {
        failure_object = error_object(ErrorCode::internal, "the next round of the tool loop failed");
        failure = e.what();
      }
      spdlog::warn("request {}: tool loop of conversation {} stopped: {}", t->caller.request_id, t->conversation.id,
                   *failure);
      if (gone) co_return;
      json err = {{"type", "error"}, {"error", failure_object}, {"conversationId", t->conversation.id}};
      std::string event = sse_event(err) + "data: [DONE]\n\n";
      co_await out->write(event);
      co_return;
    }
    if (stored && calls) {
      // Stopped (token budget, or calls again in the last round): answer the open calls with their tool
      // error before the final event, so the stored conversation is valid.
      try {
        co_await run_tools(*t, a, gone ? nullptr : out, stop);
      } catch (const std::exception& e) {
        spdlog::warn("request {}: answering the open tool calls of conversation {} failed: {}", t->caller.request_id,
                     t->conversation.id, e.what());
      }
    }
    if (gone) co_return;
    if (!stored) {
      json failure = {{"type", "error"}, {"error", error_object(ErrorCode::internal, "the answer could not be stored")}};
      std::string event = sse_event(failure) + "data: [DONE]\n\n";
      co_await out->write(event);
      co_return;
    }
    if (a.error)
      summary["error"] = error_object(upstream_error_code(UpstreamFailure::failed), "upstream stream failed: " + *a.error);
    summary["type"] = a.error ? "error" : "done";
    std::string tail = sse_event(summary) + "data: [DONE]\n\n";
    co_await out->write(tail);
    co_return;
  }
}

Task<TurnAnswer> TurnService::store_answer(Turn& t, const Answer& a, const gateway::Served& served,
                                           const gateway::Spent& spent) {
  NewMessage m;
  m.role = "assistant";
  m.content = a.content;
  m.model = served.model;
  m.provider = served.provider;
  m.prompt_tokens = spent.prompt_tokens;
  m.completion_tokens = spent.completion_tokens;
  m.token_count = spent.answer_tokens;
  m.cost = spent.cost.to_string(6);
  m.latency_ms = elapsed_ms(t.started);
  m.tool_calls = a.tool_calls;
  m.metadata = {{"requestId", t.caller.request_id}, {"tier", served.tier},     {"attempts", served.attempts},
                {"escalated", served.escalated},     {"finishReason", a.finish_reason}, {"context", t.prompt_info}};
  if (spent.estimated) m.metadata["estimatedUsage"] = true;
  if (!a.stop_reason.empty()) m.metadata["stopReason"] = a.stop_reason;
  if (a.error) {
    m.metadata["incomplete"] = true;
    m.metadata["error"] = *a.error;
  }
  auto stored = co_await repo_->insert_message(nullptr, t.conversation.id, m);
  const Message& msg = stored.first;
  ContextMessage cm{msg.seq, "assistant", msg.content, msg.tool_calls, std::nullopt, a.error.has_value()};
  if (t.context_current && advance(t.context, stored.second, std::move(cm)))
    co_await contexts_->save(t.conversation.id, t.context);
  else
    co_await contexts_->forget(t.conversation.id);
  summaries_.summarise_later(t.executor, t.conversation.id, t.caller);

  TurnAnswer out;
  out.content = msg.content;
  out.conversation_id = t.conversation.id;
  out.message_id = msg.id;
  if (!t.input_ids.empty()) out.user_message_id = t.input_ids.back();
  out.served = served;
  out.spent = spent;
  out.cost = *m.cost;
  out.latency_ms = *m.latency_ms;
  out.finish_reason = a.finish_reason;
  out.tool_calls = a.tool_calls;
  co_return out;
}

}  // namespace netops::chat
