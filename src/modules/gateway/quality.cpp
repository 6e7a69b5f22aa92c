#include "modules/gateway/quality.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

#include "core/json.hpp"
#include "llm/adapter_util.hpp"

// ── Answer quality (escalation) ───────────────────────────────────────────────────────────────────────
// score = clamp(1 − completeness − hedging − contradiction − format, 0, 1), on lower-cased text with
// typographic apostrophes folded to '\''; phrases match on word boundaries ("might" ≠ "mighty").
//  completeness: empty answer → score 0. Fewer words than expected → 0.45 × (1 − words/expected), where
//    expected = clamp(question words / 3, 2, 25), raised to 15 when the question asks to explain,
//    describe, compare or detail. finish_reason "length" → +0.25 (cut off), "content_filter" → +0.5.
//  hedging: units = 2 × strong hedges ("not sure", "don't know", "i cannot", "as an ai", …) + 1 × weak
//    ones ("might", "maybe", "possibly", "unclear", …); penalty = min(0.6, units × rate) with rate 0.10
//    for answers ≤ 60 words, 0.06 for ≤ 200, 0.03 beyond — density, so one "might" in a long answer is
//    cheap while a short answer made of hedges falls below 0.5.
//  contradiction: 0.2 when sentences start with both "yes" and "no"; 0.15 per reversal cue ("actually,
//    no", "on second thought", "i was wrong", "scratch that", "however, actually", …); 0.15 for "on the
//    other hand" after a first sentence that made a definite claim (starts yes/no/definitely/absolutely);
//    capped at 0.4.
//  format (cues from the last user message and the system prompt): mentions "json" → the answer must
//    hold a parseable JSON object or array (code fences allowed), else 0.35; asks for code ("write code",
//    "script", "snippet", "implement", "function that", "regex", "sql query", "in python", … — not bare
//    "code", which here usually means an asset code) → a ``` fence or two code-looking lines, else 0.25; asks for a list ("list", "bullet", "enumerate", "steps", "top 5"…)
//    → two lines starting with -, *, • or "1." / "1)", else 0.2.
// ── Request complexity (auto routing) ─────────────────────────────────────────────────────────────────
// points: text of all messages ≥ 1,500 code points +1, ≥ 6,000 +2; ≥ 8 non-system messages +1; a ```
// code block anywhere +1; multi-step cue in the last user message ("step by step", "steps", "first" with
// "then"/"next"/"finally", or a numbered list) +1; reasoning cues in it ("why", "prove", "analyze",
// "compare", "explain", "derive", "evaluate", "trade-off", "design", "optimize", "debug", "root cause") +1
// for one or two distinct cues, +2 for three or more. tier: 0 points → 0, 1 → 1, 2–3 → 2, ≥ 4 → 3.

namespace netops::gateway {

namespace {

using json = nlohmann::json;

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }

std::string normalise(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in.substr(i, 3) == "\xE2\x80\x99" || in.substr(i, 3) == "\xE2\x80\x98") {  // ’ ‘ → '
      out += '\'';
      i += 2;
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(in[i])));
    }
  }
  return out;
}

int count_phrase(std::string_view text, std::string_view phrase) {
  int n = 0;
  for (auto pos = text.find(phrase); pos != std::string_view::npos; pos = text.find(phrase, pos + 1)) {
    bool left = pos == 0 || !word_char(text[pos - 1]) || !word_char(phrase.front());
    auto end = pos + phrase.size();
    bool right = end >= text.size() || !word_char(text[end]) || !word_char(phrase.back());
    n += left && right;
  }
  return n;
}

template <std::size_t N>
int count_any(std::string_view text, const std::array<std::string_view, N>& phrases) {
  int n = 0;
  for (auto p : phrases) n += count_phrase(text, p);
  return n;
}

template <std::size_t N>
bool has_any(std::string_view text, const std::array<std::string_view, N>& phrases) {
  return count_any(text, phrases) > 0;
}

int count_words(std::string_view text) {
  int n = 0;
  bool in = false;
  for (char c : text) {
    bool w = word_char(c);
    n += w && !in;
    in = w;
  }
  return n;
}

std::vector<std::string_view> split(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && separators.find(text[i]) == std::string_view::npos) continue;
    auto part = text.substr(start, i - start);
    auto b = part.find_first_not_of(" \t\r");
    if (b != std::string_view::npos) parts.push_back(part.substr(b));
    start = i + 1;
  }
  return parts;
}

bool starts_with_word(std::string_view s, std::string_view word) {
  return s.substr(0, word.size()) == word && (s.size() == word.size() || !word_char(s[word.size()]));
}

std::string last_user_text(const json& messages) {
  if (!messages.is_array()) return {};
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (llm_detail::str_or(*it, "role") == "user") return llm_detail::text_of(llm_detail::member(*it, "content"));
  return {};
}

std::string system_text(const json& messages) {
  std::string out;
  if (messages.is_array())
    for (const auto& m : messages)
      if (auto role = llm_detail::str_or(m, "role"); role == "system" || role == "developer")
        out += llm_detail::text_of(llm_detail::member(m, "content")) + "\n";
  return out;
}

constexpr std::array<std::string_view, 11> kStrongHedges = {
    "not sure", "not certain", "don't know", "do not know", "i cannot", "i can't", "as an ai",
    "unable to", "no way to know", "hard to say", "difficult to say"};
constexpr std::array<std::string_view, 13> kWeakHedges = {
    "might", "maybe", "perhaps", "possibly", "probably", "unclear", "could be", "it depends",
    "i think", "i believe", "i guess", "not entirely", "may or may not"};
constexpr std::array<std::string_view, 10> kReversals = {
    "actually, no", "actually no", "on second thought", "i was wrong", "scratch that", "correction:",
    "however, actually", "that is incorrect", "that's not right", "that is not right"};
constexpr std::array<std::string_view, 5> kDetailCues = {"explain", "describe", "compare", "detail", "elaborate"};
// Not the bare word "code": in this product it mostly means an asset code.
constexpr std::array<std::string_view, 15> kCodeCues = {
    "write code", "code snippet", "sample code", "example code", "script", "snippet", "implement",
    "function that", "function to", "write a program", "regex", "sql query", "in python", "in bash",
    "in javascript"};
constexpr std::array<std::string_view, 8> kListCues = {"list", "bullet", "bullets", "enumerate", "steps",
                                                       "top 3", "top 5", "top 10"};

double completeness_penalty(std::string_view answer, std::string_view question, std::string_view finish) {
  int words = count_words(answer);
  int expected = std::clamp(count_words(question) / 3, 2, 25);
  if (has_any(question, kDetailCues)) expected = std::max(expected, 15);
  double p = words < expected ? 0.45 * (1.0 - double(words) / expected) : 0.0;
  if (finish == "length") p += 0.25;
  if (finish == "content_filter") p += 0.5;
  return p;
}

double hedging_penalty(std::string_view answer) {
  int units = 2 * count_any(answer, kStrongHedges) + count_any(answer, kWeakHedges);
  int words = count_words(answer);
  double rate = words <= 60 ? 0.10 : words <= 200 ? 0.06 : 0.03;
  return std::min(0.6, units * rate);
}

double contradiction_penalty(std::string_view answer) {
  auto sentences = split(answer, ".!?\n");
  bool yes = false, no = false;
  for (auto& s : sentences) {
    s = s.substr(std::min(s.size(), s.find_first_not_of("\"'*_ ")));  // "**Yes**" is still a yes
    yes = yes || starts_with_word(s, "yes");
    no = no || starts_with_word(s, "no");
  }
  double p = yes && no ? 0.2 : 0.0;
  p += 0.15 * count_any(answer, kReversals);
  if (!sentences.empty() && count_phrase(answer, "on the other hand") > 0) {
    auto first = sentences.front();
    for (auto definite : {"yes", "no", "definitely", "absolutely"})
      if (starts_with_word(first, definite)) {
        p += 0.15;
        break;
      }
  }
  return std::min(0.4, p);
}

bool contains_json(std::string_view answer) {
  for (char open : {'{', '['}) {
    auto b = answer.find(open);
    auto e = answer.rfind(open == '{' ? '}' : ']');
    if (b == std::string_view::npos || e == std::string_view::npos || e < b) continue;
    if (!parse_json(answer.substr(b, e - b + 1)).is_discarded()) return true;
  }
  return false;
}

bool contains_code(std::string_view answer) {
  if (answer.find("```") != std::string_view::npos) return true;
  int code_lines = 0;
  for (auto line : split(answer, "\n")) {
    bool looks = line.find(';') != std::string_view::npos || line.find('{') != std::string_view::npos ||
                 line.find("()") != std::string_view::npos || line.find(" = ") != std::string_view::npos ||
                 starts_with_word(line, "def") || starts_with_word(line, "return") || starts_with_word(line, "select");
    code_lines += looks;
  }
  return code_lines >= 2;
}

bool contains_list(std::string_view answer) {
  int items = 0;
  for (auto raw : split(answer, "\n")) {
    auto line = raw.substr(std::min(raw.size(), raw.find_first_not_of(" \t")));
    if (line.empty()) continue;
    if (line[0] == '-' || line[0] == '*' || line.substr(0, 3) == "\xE2\x80\xA2") {
      ++items;
      continue;
    }
    std::size_t d = 0;
    while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
    items += d > 0 && d < line.size() && (line[d] == '.' || line[d] == ')');
  }
  return items >= 2;
}

double format_penalty(std::string_view answer, std::string_view question, std::string_view system) {
  double p = 0;
  if ((count_phrase(question, "json") > 0 || count_phrase(system, "json") > 0) && !contains_json(answer)) p += 0.35;
  if (has_any(question, kCodeCues) && !contains_code(answer)) p += 0.25;
  if (has_any(question, kListCues) && !contains_list(answer)) p += 0.2;
  return p;
}

}  // namespace

QualityBreakdown quality_breakdown(const std::string& raw_answer, const json& messages, std::string_view finish) {
  QualityBreakdown q;
  std::string answer = normalise(raw_answer);
  if (answer.find_first_not_of(" \t\r\n") == std::string::npos) {
    q.completeness = 1;
    q.score = 0;
    return q;
  }
  std::string question = normalise(last_user_text(messages));
  q.completeness = completeness_penalty(answer, question, finish);
  q.hedging = hedging_penalty(answer);
  q.contradiction = contradiction_penalty(answer);
  q.format = format_penalty(answer, question, normalise(system_text(messages)));
  q.score = std::clamp(1.0 - q.completeness - q.hedging - q.contradiction - q.format, 0.0, 1.0);
  return q;
}

double quality_score(const std::string& answer, const json& messages, std::string_view finish_reason) {
  return quality_breakdown(answer, messages, finish_reason).score;
}

int complexity_tier(const json& messages) {
  if (!messages.is_array()) return 0;
  std::int64_t chars = 0;
  int conversation = 0;
  bool code_block = false;
  for (const auto& m : messages) {
    auto text = llm_detail::text_of(llm_detail::member(m, "content"));
    for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
    code_block = code_block || text.find("```") != std::string::npos;
    auto role = llm_detail::str_or(m, "role");
    conversation += role != "system" && role != "developer";
  }
  std::string last = normalise(last_user_text(messages));
  int points = chars >= 6000 ? 2 : chars >= 1500 ? 1 : 0;
  points += conversation >= 8;
  points += code_block;
  bool multi_step = count_phrase(last, "step by step") + count_phrase(last, "step-by-step") +
                        count_phrase(last, "steps") > 0 ||
                    (count_phrase(last, "first") > 0 &&
                     count_phrase(last, "then") + count_phrase(last, "next") + count_phrase(last, "finally") > 0) ||
                    contains_list(last);
  points += multi_step;
  static constexpr std::array<std::string_view, 14> kReasoning = {
      "why", "prove", "analyze", "analyse", "compare", "explain", "derive", "evaluate", "trade-off",
      "tradeoff", "design", "optimize", "debug", "root cause"};
  int cues = 0;
  for (auto cue : kReasoning) cues += count_phrase(last, cue) > 0;
  points += cues >= 3 ? 2 : cues >= 1 ? 1 : 0;
  return points == 0 ? 0 : points == 1 ? 1 : points <= 3 ? 2 : 3;
}

}  // namespace netops::gateway
