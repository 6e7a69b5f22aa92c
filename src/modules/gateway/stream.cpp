// A committed stream: relays the upstream's events to the client as they arrive (one write per upstream
// read, nothing buffered; for OpenAI-compatible upstreams the read's own bytes whenever they hold whole
// events that all go out unchanged), then accounts the call with what was produced.
#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "core/upstream_error.hpp"
#include "modules/gateway/gateway_service.hpp"

namespace netops::gateway {

using nlohmann::json;

StreamJob::StreamJob(Service& svc, std::shared_ptr<Exec> x, Target t, CallResult opened,
                     std::unique_ptr<LiveStream> live)
    : svc_(svc), x_(std::move(x)), target_(t), opened_(std::move(opened)), live_(std::move(live)) {
  served_ = Served{t.model->id, t.provider->id, t.model->tier, x_->attempts, false};
  x_->job = this;
  upstream_started_ = Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(opened_.upstream_seconds));
}

StreamJob::~StreamJob() {
  if (x_->job == this) x_->job = nullptr;
  if (cut_counter_) cut_counter_->fetch_sub(1);
  if (finished_) return;
  try {
    live_->upstream().cancel();
    finish(true, {});
  } catch (const std::exception& e) {  // a destructor must not throw: log what could not be accounted
    spdlog::error("request {}: accounting a stream the client left failed: {}", x_->caller.request_id, e.what());
  }
}

void StreamJob::finish(bool client_gone, const std::string& error_code) {
  if (finished_) return;
  finished_ = true;
  Exec& x = *x_;
  CallResult r = opened_;
  bool ok = !client_gone && error_code.empty();
  r.outcome = ok ? Outcome::ok : Outcome::failure;
  r.error_code = client_gone ? "client_disconnected" : error_code;
  r.upstream_seconds = std::chrono::duration<double>(Clock::now() - upstream_started_).count();
  UsageRecord rec = svc_.base_record(x, target_, r);
  svc_.charge(x, target_, rec, live_->usage(), live_->text(), live_->estimated_completion_tokens());
  x.records.push_back(std::move(rec));
  // The upstream answered (the circuit was closed at commit); only its own failure mid-stream counts.
  if (!client_gone && !error_code.empty() && error_code != "SHUTDOWN")
    svc_.breaker().failure(target_.model->id, Clock::now());
}

Spent StreamJob::spent() const {
  Spent s = spent_of(x_->records);
  if (finished_ && !x_->records.empty()) s.answer_tokens = x_->records.back().completion_tokens;
  return s;
}

Task<void> StreamJob::pump(std::shared_ptr<StreamJob> job, http::StreamWriter& out) {
  LiveStream& s = *job->live_;
  Exec& x = *job->x_;
  bool gone = !co_await out.write(s.first);
  // Overhead of a stream: request in → first byte out, minus the upstream's time until the commit.
  Metrics::instance().observe("gateway_overhead_seconds", {},
                              std::max(0.0, x.elapsed() - x.upstream_seconds - x.backoff_seconds));
  std::string().swap(s.first);
  std::string error_code, message;
  std::string bytes;  // re-used: re-framed events, when the read's bytes cannot go out as they are
  while (!gone) {
    std::optional<std::string> piece;
    try {
      piece = co_await s.upstream().read();
    } catch (const llm::UpstreamError& e) {
      if (!s.done()) {  // after the last event a slow close is not a failure
        error_code = std::string(llm::kind_name(e.kind));
        message = safe_error_text(e.what());
      }
    }
    if (!piece) break;
    bool verbatim = false;
    try {
      verbatim = s.feed(*piece, bytes);
    } catch (const std::length_error&) {
      error_code = "protocol";
      message = "the upstream sent an oversized stream event";
      break;
    }
    // One upstream read, one client write: the read's own bytes when they go out unchanged.
    const std::string& to_client = verbatim ? *piece : bytes;
    if (!to_client.empty() && !co_await out.write(to_client)) {
      gone = true;
      break;
    }
    if (s.failed()) {  // the upstream's error event went to the client as it came
      error_code = "stream_error";
      message = s.error();
      break;
    }
  }
  if (x.cut) {  // Service::cut_in_flight() accounted the stream and cancelled the upstream
    error_code = "SHUTDOWN";
    message = "the gateway is shutting down";
  }
  if (!gone && error_code.empty() && !s.done()) {
    error_code = "incomplete_stream";
    message = "the upstream closed the stream before its last event";
  }
  if (!gone && !error_code.empty() && error_code != "stream_error") {
    // OpenAI's way to fail a stream that has started: an error object as the last event, no [DONE].
    json object = error_object(upstream_error_code(UpstreamFailure::failed), "upstream stream failed: " + message);
    object["type"] = "upstream_error";
    json err = {{"error", std::move(object)}};
    std::string event = "data: " + err.dump() + "\n\n";
    co_await out.write(event);
  }
  if (!error_code.empty())
    spdlog::warn("request {}: stream from {} failed: {} {}", x.caller.request_id, job->target_.model->id, error_code,
                 message);
  if (gone) s.upstream().cancel();
  job->finish(gone, error_code);
}

}  // namespace netops::gateway
