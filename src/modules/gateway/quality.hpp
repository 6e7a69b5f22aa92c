#pragma once
// Routing policy of the gateway (moved from llm/, which is framework): heuristics the orchestrator uses
// without calling a model: how good an answer looks (escalation
// strategy) and how hard a request looks (`auto` with no matching rule). SPEC §4.2. Both are
// deterministic, cheap (a few passes over the text) and documented in quality.cpp.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace netops::gateway {

// Each penalty is subtracted from 1.0; score = clamp(1 − Σ penalties, 0, 1). Kept apart so a log line or
// a test can say why an answer scored low.
struct QualityBreakdown {
  double completeness = 0;   // empty / too short for the question / cut off by max_tokens or a filter
  double hedging = 0;        // "I'm not sure", "might", "as an AI" … weighted by density
  double contradiction = 0;  // "Yes… No…", "actually, no", "on second thought" …
  double format = 0;         // asked for JSON / a list / code and the answer has none
  double score = 1;
};

QualityBreakdown quality_breakdown(const std::string& answer, const nlohmann::json& request_messages,
                                   std::string_view finish_reason);

// quality_breakdown(...).score, in [0, 1].
double quality_score(const std::string& answer, const nlohmann::json& request_messages,
                     std::string_view finish_reason);

// 0–3 from the conversation's size and the last user message's cues (thresholds in quality.cpp).
int complexity_tier(const nlohmann::json& messages);

}  // namespace netops::gateway
