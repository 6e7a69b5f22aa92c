// One chat turn: the user's input stored, the context built, the gateway called, the answer stored.
#include "modules/chat/turn_service.hpp"

#include <algorithm>
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

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
  return out;
}

TurnService::TurnService(AppContext& ctx, std::shared_ptr<gateway::Service> gateway, std::shared_ptr<ChatRepo> repo,
                         std::shared_ptr<ContextRepo> contexts, std::shared_ptr<audit::AuditService> audit)
    : ctx_(ctx), settings_(load_section(ctx.config, chat_section())), gateway_(gateway), repo_(repo), contexts_(contexts), audit_(std::move(audit)),
      summaries_(ctx, gateway, repo, contexts, tasks_) {}

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

  // Route first: an unknown model, no usable provider or an exhausted budget refuse the turn before
  // anything is stored. The route also tells the context window: the smallest of the models the request
  // may go to.
  auto routed = [&](json messages) -> Task<gateway::Route> {
    json b = {{"model", model}, {"messages", std::move(messages)}};
    if (!in.tools.is_null()) b["tools"] = in.tools;
    auto ptr = std::make_shared<const json>(std::move(b));
    gateway::CallInfo call;
    co_return co_await gateway_->preflight(ptr, c, call);
  };
  json lone = json::array({{{"role", "user"}, {"content", in.message.value_or("")}}});
  auto route = co_await routed(std::move(lone));

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
  const std::int64_t tools_tokens = in.tools.is_null() ? 0 : estimate_tokens(in.tools.dump());
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
  if (!in.tools.is_null()) body["tools"] = in.tools;
  if (in.stream) body["stream"] = true;
  t->body = std::make_shared<const json>(std::move(body));
  t->prompt_info = {{"messages", prompt.included}, {"cut", prompt.cut}, {"summaryUsed", prompt.summary_used},
                    {"estimatedTokens", prompt.tokens}, {"contextWindow", window}};
  co_return t;
}

Task<TurnAnswer> TurnService::answer(std::shared_ptr<Turn> t) {
  auto call = call_info(*t);
  auto c = co_await gateway_->complete(t->body, t->caller, call);
  Answer a;
  a.finish_reason = c.parsed.finish_reason;
  a.content = c.parsed.text;
  const json& resp = c.parsed.response;
  if (auto ch = resp.find("choices"); ch != resp.end() && ch->is_array() && !ch->empty() && (*ch)[0].is_object())
    if (auto msg = (*ch)[0].find("message"); msg != (*ch)[0].end() && msg->is_object())
      if (auto calls = msg->find("tool_calls"); calls != msg->end() && calls->is_array() && !calls->empty())
        a.tool_calls = *calls;
  auto served = c.served;
  co_return co_await store_answer(*t, a, served, c.spent);
}

Task<std::shared_ptr<gateway::StreamJob>> TurnService::open_stream(std::shared_ptr<Turn> t) {
  auto call = call_info(*t);
  co_return co_await gateway_->open_stream(t->body, t->caller, call);
}

Task<void> TurnService::relay(std::shared_ptr<Turn> t, std::shared_ptr<gateway::StreamJob> job,
                              http::StreamWriter* out) {
  StreamRelay relay(out);
  if (out) {
    json start = {{"type", "start"},
                  {"conversationId", t->conversation.id},
                  {"userMessageId", t->input_ids.empty() ? json() : json(t->input_ids.back())},
                  {"model", job->served().model},
                  {"provider", job->served().provider}};
    std::string event = sse_event(start);
    co_await out->write(event);
  }
  co_await gateway::StreamJob::pump(job, relay);
  Answer a;
  a.content = relay.text();
  a.tool_calls = relay.tool_calls();
  a.finish_reason = relay.finish_reason();
  a.error = relay.error();
  if (!a.error && a.finish_reason.empty()) a.error = "the upstream stream ended before its last event";
  json summary;
  bool stored = false;
  try {
    auto spent = job->spent();
    auto served = job->served();
    summary = to_json(co_await store_answer(*t, a, served, spent));
    stored = true;
  } catch (const std::exception& e) {
    spdlog::error("request {}: storing the streamed answer of conversation {} failed: {}", t->caller.request_id,
                  t->conversation.id, e.what());
  }
  if (relay.gone()) co_return;
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
