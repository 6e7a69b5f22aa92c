#include "modules/gateway/upstream.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>

#include "core/error.hpp"
#include "core/json.hpp"
#include "llm/egress.hpp"
#include "modules/gateway/wire.hpp"

namespace netops::gateway {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxErrorBody = 64 * 1024;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Content-Type "text/event-stream", parameters and case aside.
bool is_event_stream(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  constexpr std::string_view kType = "text/event-stream";
  if (type.size() != kType.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(type[i])) != kType[i]) return false;
  return true;
}

std::string url_for(const ai_registry::Provider& p, bool anthropic) {
  const std::string& base = p.api_endpoint;
  if (!anthropic) return base + "/chat/completions";
  // Anthropic's base is documented without /v1; accept one that has it rather than calling /v1/v1/messages.
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0) return base + "/messages";
  return base + "/v1/messages";
}

void add_auth(llm::Headers& h, const ai_registry::Provider& p, const std::string& key, bool anthropic) {
  if (anthropic) h.emplace_back("anthropic-version", "2023-06-01");
  if (key.empty() || p.auth_type == "none") return;
  if (p.auth_type == "x-api-key") h.emplace_back("x-api-key", key);
  else h.emplace_back("authorization", "Bearer " + key);
}

// parse_openai_response without its deep copy of the body: the answer is moved, not copied.
ParsedResponse parse_openai_moving(json body, const std::string& client_model) {
  ParsedResponse out;
  if (auto u = body.find("usage"); u != body.end()) out.usage = openai_usage(*u);
  if (auto choices = body.find("choices"); choices != body.end() && choices->is_array() && !choices->empty()) {
    const auto& first = (*choices)[0];
    if (first.is_object()) {
      if (auto m = first.find("message"); m != first.end() && m->is_object())
        if (auto c = m->find("content"); c != m->end()) {
          if (c->is_string()) out.text = c->get<std::string>();
          else if (c->is_array())
            for (const auto& part : *c)
              if (string_member(part, "type") == "text" && part.contains("text") && part["text"].is_string())
                out.text += part["text"].get<std::string>();
        }
      if (auto f = first.find("finish_reason"); f != first.end() && f->is_string()) out.finish_reason = f->get<std::string>();
    }
  }
  body["model"] = client_model;
  out.response = std::move(body);
  return out;
}

// A stored key that the current NETOPS_MASTER_KEY cannot decrypt: calling without it would only earn a
// confusing 401, so the target fails (and the next one is tried) with the reason.
bool key_unusable(const ai_registry::Provider& p, CallResult& r) {
  if (!p.api_key_unreadable) return false;
  r.error_code = "config";
  r.message = "the API key of provider " + p.id + " cannot be decrypted with the current NETOPS_MASTER_KEY";
  return true;
}

void transport_failure(CallResult& r, const llm::UpstreamError& e) {
  r.outcome = Outcome::failure;
  if (dynamic_cast<const llm::EgressRefused*>(&e)) {  // our configuration, not the upstream's health
    r.error_code = "config";
    r.message = e.what();
    return;
  }
  r.timeout = e.kind == llm::UpstreamError::Kind::timeout;
  r.error_code = std::string(llm::kind_name(e.kind));
  r.message = safe_error_text(e.what());
}

}  // namespace

bool uses_anthropic(const ai_registry::Provider& p) {
  auto it = p.capabilities.find("format");
  if (it != p.capabilities.end() && it->is_string()) return it->get_ref<const std::string&>() == "anthropic";
  return p.auth_type == "x-api-key";
}

llm::UpstreamRequest build_request(const Target& t, const json& body, const std::string* raw, bool stream,
                                   const llm::Timeouts& timeouts) {
  bool anthropic = uses_anthropic(*t.provider);
  llm::UpstreamRequest r;
  r.url = url_for(*t.provider, anthropic);
  r.timeouts = timeouts;
  r.headers.reserve(4);
  r.headers.emplace_back("content-type", "application/json");
  if (stream) r.headers.emplace_back("accept", "text/event-stream");
  add_auth(r.headers, *t.provider, t.provider->api_key, anthropic);
  auto upstream_model = t.model->upstream_model();
  if (anthropic)
    r.body = anthropic_request(body, upstream_model, stream, t.model->max_tokens.value_or(4096)).dump();
  else if (auto bytes = raw ? openai_body_bytes(*raw, upstream_model, stream) : std::nullopt)
    r.body = std::move(*bytes);
  else
    r.body = openai_request(body, upstream_model, stream).dump();
  return r;
}

namespace {
// An IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT", RFC 9110 §5.6.7), the HTTP-date form of Retry-After.
std::optional<std::chrono::system_clock::time_point> http_date(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}
}  // namespace

std::optional<int> retry_after_ms(const std::string& retry_after, const std::string& retry_after_ms_header,
                                  std::chrono::system_clock::time_point now) {
  auto number = [](const std::string& s) -> std::optional<long long> {
    long long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
  };
  if (auto ms = number(retry_after_ms_header)) return static_cast<int>(std::min<long long>(*ms, 86'400'000));
  if (auto s = number(retry_after)) return static_cast<int>(std::min<long long>(*s, 86'400) * 1000);
  if (auto at = http_date(retry_after)) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*at - now).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, 86'400'000));
  }
  return std::nullopt;
}

std::string provider_problem(int status) {
  switch (status) {
    case 401: return "its API key was refused";
    case 402: return "its account has no credits left (payment required)";
    case 403: return "its API key is not allowed to use this model";
    case 404: return "the upstream model or endpoint does not exist";
    default: return {};
  }
}

void classify_status(CallResult& r, int status, const std::string& body, const std::string& retry_after,
                     const std::string& retry_after_ms_header, bool anthropic, const std::string& provider_id) {
  r.status = status;
  r.error_code = "http_" + std::to_string(status);
  r.message = anthropic ? anthropic_error_message(status, body) : error_message(status, body);
  r.retry_after_ms = retry_after_ms(retry_after, retry_after_ms_header);
  auto problem = provider_problem(status);
  r.provider_config = !problem.empty();
  if (r.provider_config)
    r.message = "provider " + (provider_id.empty() ? std::string("?") : provider_id) + " answered " +
                std::to_string(status) + ": " + problem + (r.message.empty() ? "" : " (" + r.message + ")");
  bool callers_fault =
      status >= 400 && status < 500 && status != 408 && status != 429 && !r.provider_config;
  r.outcome = callers_fault ? Outcome::caller_error : Outcome::failure;
  r.timeout = status == 408;
}

Task<CallResult> call_upstream(llm::HttpClient& client, Target t, std::shared_ptr<const json> body,
                               std::shared_ptr<const std::string> raw, llm::Timeouts timeouts,
                               std::string client_model) {
  CallResult r;
  if (key_unusable(*t.provider, r)) co_return r;
  bool anthropic = uses_anthropic(*t.provider);
  auto req = build_request(t, *body, raw.get(), false, timeouts);
  auto start = Clock::now();
  try {
    auto resp = co_await client.send(std::move(req));
    r.upstream_seconds = seconds_since(start);
    if (resp.status >= 200 && resp.status < 300) {
      // The common case: an OpenAI-compatible answer goes to the client as its bytes, and what accounting
      // needs is read from them in one pass; anything unusual is parsed as before.
      if (!anthropic) {
        if (auto bytes = with_model(resp.body, client_model); bytes && scan_openai_answer(*bytes, r.parsed)) {
          r.parsed.bytes = std::move(*bytes);
          r.status = resp.status;
          r.outcome = Outcome::ok;
          co_return r;
        }
        r.parsed = ParsedResponse{};
      }
      json j = parse_json(resp.body);
      if (!j.is_object()) {
        r.status = resp.status;
        r.error_code = "protocol";
        r.message = "the upstream answered with a body that is not a JSON object";
        co_return r;
      }
      if (anthropic) {
        r.parsed = parse_anthropic_response(j, client_model);
      } else {
        r.parsed = parse_openai_moving(std::move(j), client_model);
        if (auto bytes = with_model(resp.body, client_model)) r.parsed.bytes = std::move(*bytes);
      }
      r.status = resp.status;
      r.outcome = Outcome::ok;
      co_return r;
    }
    classify_status(r, resp.status, resp.body, resp.header("retry-after"), resp.header("retry-after-ms"), anthropic,
                    t.provider->id);
  } catch (const llm::UpstreamError& e) {
    r.upstream_seconds = seconds_since(start);
    transport_failure(r, e);
  } catch (const std::invalid_argument&) {  // a provider endpoint the client cannot use
    r.upstream_seconds = seconds_since(start);
    r.error_code = "config";
    r.message = "the provider's apiEndpoint is not a usable URL";
  }
  co_return r;
}

LiveStream::LiveStream(std::unique_ptr<llm::UpstreamStream> up, bool anthropic, const std::string& client_model,
                       bool client_wants_usage)
    : up_(std::move(up)) {
  if (anthropic) anthropic_.emplace(client_model, client_wants_usage);
  else openai_.emplace(client_wants_usage);
}

namespace {
// The JSON string starting after its opening quote at s[i]: unescaped into out, i past the closing quote.
// False on anything unexpected (the caller then parses the event properly).
bool read_json_string(std::string_view s, std::size_t& i, std::string& out) {
  auto hex4 = [&](std::size_t at, unsigned& v) {
    if (at + 4 > s.size()) return false;
    v = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
      char c = s[k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= unsigned(c - '0');
      else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
      else return false;
    }
    return true;
  };
  auto utf8 = [&](unsigned cp) {
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) out += char(0xC0 | (cp >> 6)), out += char(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
      out += char(0xE0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
    else
      out += char(0xF0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3F)), out += char(0x80 | ((cp >> 6) & 0x3F)),
          out += char(0x80 | (cp & 0x3F));
  };
  while (i < s.size()) {
    // The next quote, or a backslash before it (two memchr calls; find_first_of tests byte by byte).
    const char* p = s.data();
    const void* quote = std::memchr(p + i, '"', s.size() - i);
    if (!quote) return false;
    const void* backslash = std::memchr(p + i, '\\', static_cast<const char*>(quote) - (p + i));
    const auto stop = static_cast<std::size_t>(static_cast<const char*>(backslash ? backslash : quote) - p);
    out.append(s.substr(i, stop - i));
    i = stop;
    if (s[i] == '"') {
      ++i;
      return true;
    }
    if (i + 1 >= s.size()) return false;
    char e = s[i + 1];
    i += 2;
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned cp = 0;
        if (!hex4(i, cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned lo = 0;
          if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u' || !hex4(i + 2, lo) || lo < 0xDC00 || lo > 0xDFFF)
            return false;
          i += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        utf8(cp);
        break;
      }
      default: return false;
    }
  }
  return false;
}

std::int64_t code_points(std::string_view s) {
  std::int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

namespace {
// An OpenAI usage object (or null) at d[i] whose counts are plain integers, read without a DOM: false on
// anything else (a fraction, a sign, a string, 16 digits or more), and the caller parses it instead.
bool scan_usage(std::string_view d, std::size_t& i, Usage& out) {
  if (skip_null(d, i)) return true;
  std::int64_t prompt = 0, completion = 0, cached = 0, writes = 0;
  auto count = [&](std::int64_t& into) {
    const std::size_t start = i;
    while (i < d.size() && d[i] >= '0' && d[i] <= '9') ++i;
    if (i == start || i - start > 15) return false;
    std::from_chars(d.data() + start, d.data() + i, into);
    const char next = i < d.size() ? d[i] : '\0';
    return next == ',' || next == '}' || next == ' ' || next == '\t' || next == '\r' || next == '\n';
  };
  auto details = [&](std::string_view key) {
    if (key == "cached_tokens") return count(cached);
    if (key == "cache_write_tokens") return count(writes);
    return skip_value(d, i);
  };
  auto member = [&](std::string_view key) {
    if (key == "prompt_tokens") return count(prompt);
    if (key == "completion_tokens") return count(completion);
    if (key == "prompt_tokens_details") return each_member(d, i, details);
    return skip_value(d, i);
  };
  if (!each_member(d, i, member)) return false;
  out = openai_usage_counts(prompt, completion, cached, writes);
  return true;
}
}  // namespace

// An OpenAI chat.completion's usage, choice 0's text and finish reason, read in one pass over its bytes
// (every other member skipped, not validated); false on anything unusual — content given as parts, a
// duplicate member, an escaped key, a usage that is not an object — and the answer is then parsed.
bool scan_openai_answer(std::string_view d, ParsedResponse& out) {
  std::size_t i = 0;
  bool seen_usage = false, seen_choices = false, seen_content = false, seen_finish = false, seen_message = false;
  auto string_or_null = [&](bool& seen, std::string& into) {
    if (seen) return false;
    seen = true;
    if (skip_null(d, i)) return true;
    if (i >= d.size() || d[i] != '"') return false;
    ++i;
    return read_json_string(d, i, into);
  };
  auto message = [&](std::string_view key) {
    if (key == "content") return string_or_null(seen_content, out.text);
    return skip_value(d, i);
  };
  auto choice = [&](std::string_view key) {
    if (key == "message") {
      if (seen_message) return false;
      seen_message = true;
      return each_member(d, i, message);
    }
    if (key == "finish_reason") return string_or_null(seen_finish, out.finish_reason);
    return skip_value(d, i);
  };
  auto top = [&](std::string_view key) {
    if (key == "usage") {
      if (seen_usage) return false;
      seen_usage = true;
      const std::size_t start = i;
      if (scan_usage(d, i, out.usage)) return true;
      i = start;  // anything but plain counts: the usage object is parsed
      if (!skip_value(d, i)) return false;
      json u = parse_json(d.substr(start, i - start));
      if (u.is_null()) return true;
      if (!u.is_object()) return false;
      out.usage = openai_usage(u);
      return true;
    }
    if (key != "choices") return skip_value(d, i);
    if (seen_choices) return false;
    seen_choices = true;
    // Choice 0 read, the others skipped.
    return each_element(d, i,
                        [&](std::size_t n) { return n == 0 ? each_member(d, i, choice) : skip_value(d, i); });
  };
  bool ok = each_member(d, i, top);
  skip_ws(d, i);
  if (ok && i == d.size()) return true;
  out = ParsedResponse{};
  return false;
}

// True when `data` is a plain content chunk of choice 0 (accounted here); false: parse it. One pass over the
// bytes: exactly one choice, with "index":0, null finish_reason and logprobs, a delta whose only accounted
// member is "content" (a string or null; tool calls, function calls and refusals need the parse), and no
// usage object ("usage":null rides on every chunk when usage is asked for, and we always ask) or error.
bool LiveStream::scan(std::string_view d) {
  std::size_t i = 0;
  const std::size_t before = text_.size();
  bool choice_seen = false, index_zero = false, content_seen = false;
  auto delta = [&](std::string_view key) {
    if (key == "content") {
      if (skip_null(d, i)) return true;
      if (content_seen || i >= d.size() || d[i] != '"') return false;
      content_seen = true;
      ++i;
      return read_json_string(d, i, text_);
    }
    if (key == "tool_calls" || key == "function_call" || key == "refusal") return skip_null(d, i);
    return skip_value(d, i);
  };
  auto choice = [&](std::string_view key) {
    if (key == "index") {
      std::size_t start = i;
      if (!skip_value(d, i)) return false;
      index_zero = d.substr(start, i - start) == "0";
      return index_zero;
    }
    if (key == "finish_reason" || key == "logprobs") return skip_null(d, i);
    if (key == "delta") return each_member(d, i, delta);
    return skip_value(d, i);
  };
  auto top = [&](std::string_view key) {
    if (key == "choices") {  // exactly one choice
      if (choice_seen) return false;
      choice_seen = true;
      return each_element(d, i, [&](std::size_t n) { return n == 0 && each_member(d, i, choice); });
    }
    if (key == "usage") return skip_null(d, i);
    if (key == "error") return false;
    return skip_value(d, i);
  };
  bool ok = each_member(d, i, top);
  skip_ws(d, i);
  if (!ok || i != d.size() || !index_zero) {
    text_.resize(before);
    return false;
  }
  scanned_code_points_ += code_points(std::string_view(text_).substr(before));
  return true;
}

bool LiveStream::feed(std::string_view piece, std::string& out) {
  out.clear();
  bool at_boundary = !parser_.has_partial_event();
  events_.clear();
  parser_.feed(piece, events_);
  if (!openai_) {
    for (const auto& e : events_) out += anthropic_->feed(e.event, e.data);
    return false;
  }
  bool verbatim = at_boundary && !parser_.has_partial_event();
  // Which events go out as they came; the others' bytes (a usage-only chunk the client did not ask for)
  // are not forwarded, so then the kept events are re-framed instead.
  for (auto& e : events_) {
    if (e.data == "[DONE]" || !scan(e.data)) {
      auto before = openai_->text().size();
      std::string bytes = openai_->feed(e.event, e.data);
      if (openai_->text().size() > before) text_.append(openai_->text(), before, std::string::npos);
      if (bytes.empty()) {
        verbatim = false;
        e.data.clear();
        e.event = "";  // dropped
      }
    }
  }
  if (verbatim) return true;
  for (const auto& e : events_)
    if (!e.event.empty()) out += sse_frame(e.event, e.data);
  return false;
}

std::string LiveStream::feed(std::string_view piece) {
  std::string out;
  if (feed(piece, out)) return std::string(piece);
  return out;
}

bool LiveStream::done() const { return openai_ ? openai_->done() : anthropic_->done(); }
bool LiveStream::failed() const { return openai_ ? openai_->failed() : anthropic_->failed(); }
const std::string& LiveStream::error() const { return openai_ ? openai_->error() : anthropic_->error(); }
Usage LiveStream::usage() const { return openai_ ? openai_->usage() : anthropic_->usage(); }
const std::string& LiveStream::text() const { return openai_ ? text_ : anthropic_->text(); }
std::int64_t LiveStream::estimated_completion_tokens() const {
  return openai_ ? openai_->estimated_completion_tokens() + (scanned_code_points_ + 3) / 4
                 : anthropic_->estimated_completion_tokens();
}

Task<StreamOpen> open_stream(llm::HttpClient& client, Target t, std::shared_ptr<const json> body,
                             std::shared_ptr<const std::string> raw, llm::Timeouts timeouts,
                             std::string client_model, StreamCommit commit) {
  StreamOpen out;
  CallResult& r = out.result;
  if (key_unusable(*t.provider, r)) co_return out;
  bool anthropic = uses_anthropic(*t.provider);
  auto req = build_request(t, *body, raw.get(), true, timeouts);
  auto start = Clock::now();
  try {
    auto up = co_await client.open(std::move(req));
    if (up->status() < 200 || up->status() >= 300) {
      std::string err;
      while (err.size() < kMaxErrorBody) {
        auto piece = co_await up->read();
        if (!piece) break;
        err += *piece;
      }
      r.upstream_seconds = seconds_since(start);
      classify_status(r, up->status(), err, up->header("retry-after"), up->header("retry-after-ms"), anthropic,
                      t.provider->id);
      co_return out;
    }
    // A 2xx event stream commits at its headers unless told to wait for the first event; any other 2xx body
    // is read until its first event, so an upstream that answers something else still fails over.
    const bool at_headers = commit == StreamCommit::headers && is_event_stream(up->header("content-type"));
    auto live = std::make_unique<LiveStream>(std::move(up), anthropic, client_model, client_wants_usage(*body));
    while (!at_headers && live->first.empty() && !live->done() && !live->failed()) {
      auto piece = co_await live->upstream().read();
      if (!piece) break;
      live->first += live->feed(*piece);
    }
    r.upstream_seconds = seconds_since(start);
    r.status = live->upstream().status();
    if (live->failed()) {
      r.error_code = "stream_error";
      r.message = live->error();
      live->upstream().cancel();
    } else if (live->first.empty() && !at_headers) {
      r.error_code = "protocol";
      r.message = "the upstream stream ended without any event";
    } else {
      r.outcome = Outcome::ok;
      out.stream = std::move(live);
    }
  } catch (const llm::UpstreamError& e) {
    r.upstream_seconds = seconds_since(start);
    transport_failure(r, e);
  } catch (const std::length_error&) {
    r.upstream_seconds = seconds_since(start);
    r.error_code = "protocol";
    r.message = "the upstream sent an oversized stream event";
  } catch (const std::invalid_argument&) {
    r.upstream_seconds = seconds_since(start);
    r.error_code = "config";
    r.message = "the provider's apiEndpoint is not a usable URL";
  }
  co_return out;
}

Task<json> probe_provider(llm::HttpClient& client, ai_registry::Provider p, std::string key, llm::Timeouts timeouts) {
  bool anthropic = uses_anthropic(p);
  llm::UpstreamRequest req;
  req.method = "GET";
  std::string base = p.api_endpoint;
  if (anthropic && !(base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0)) base += "/v1";
  req.url = base + "/models";
  req.timeouts = timeouts;
  add_auth(req.headers, p, key, anthropic);
  json out = {{"providerId", p.id}};
  auto start = Clock::now();
  try {
    auto resp = co_await client.send(std::move(req));
    out["httpStatus"] = resp.status;
    bool ok = resp.status >= 200 && resp.status < 300;
    out["status"] = ok ? "healthy" : "unhealthy";
    if (!ok)
      out["error"] = anthropic ? anthropic_error_message(resp.status, resp.body) : error_message(resp.status, resp.body);
  } catch (const llm::UpstreamError& e) {
    out["status"] = "unhealthy";
    out["error"] = std::string(llm::kind_name(e.kind)) + ": " + safe_error_text(e.what());
  } catch (const std::invalid_argument&) {
    out["status"] = "unhealthy";
    out["error"] = "the provider's apiEndpoint is not a usable URL";
  }
  out["latencyMs"] = static_cast<long long>(seconds_since(start) * 1000.0);
  co_return out;
}

}  // namespace netops::gateway
