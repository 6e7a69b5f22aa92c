#include <gtest/gtest.h>

#include "modules/gateway/quality.hpp"

using namespace netops;
using namespace netops::gateway;
using json = nlohmann::json;

namespace {

json ask(const std::string& question, const std::string& system = "") {
  json m = json::array();
  if (!system.empty()) m.push_back({{"role", "system"}, {"content", system}});
  m.push_back({{"role", "user"}, {"content", question}});
  return m;
}

}  // namespace

TEST(QualityScore, SeparatesGoodAnswersFromWeakOnes) {
  struct Case {
    const char* name;
    std::string question, answer, finish;
    double min, max;  // inclusive bounds on the score
  };
  const Case cases[] = {
      {"direct complete answer", "What does OSPF stand for and what is it used for?",
       "OSPF stands for Open Shortest Path First. It is a link-state interior gateway protocol used to route IP "
       "packets inside a single autonomous system. Routers flood link-state advertisements and each one computes "
       "shortest paths with Dijkstra's algorithm.",
       "stop", 0.75, 1.0},
      {"hedging", "Is port 179 used by BGP?",
       "I'm not sure. It might be, maybe, but I cannot say for certain.", "stop", 0.0, 0.4999},
      {"typographic apostrophes hedge too", "Is port 179 used by BGP?",
       "I\u2019m not sure. It might be, maybe, but I can\u2019t say for certain.", "stop", 0.0, 0.4999},
      {"refusal", "How do I reset the switch password?",
       "As an AI, I don't know your device and I cannot help with that.", "stop", 0.0, 0.4999},
      {"empty", "Anything?", "", "stop", 0.0, 0.0},
      {"whitespace only", "Anything?", "  \n\t", "stop", 0.0, 0.0},
      {"short but adequate", "What is 2+2?", "2 + 2 = 4.", "stop", 0.9, 1.0},
      {"one word to a long question",
       "Explain in detail how spanning tree protocol elects a root bridge and what happens when links fail in a "
       "redundant topology with several switches",
       "Priority.", "stop", 0.0, 0.65},
      {"cut off by max_tokens", "What does OSPF stand for?",
       "OSPF stands for Open Shortest Path First, a link-state routing protocol that", "length", 0.5, 0.8},
      {"self-contradiction", "Is IPv6 NAT required?",
       "Yes, NAT is required for IPv6. No, actually, no: IPv6 was designed so that every host gets a global "
       "address. On second thought, it depends.",
       "stop", 0.0, 0.6},
      {"JSON asked and given", "Return the asset as JSON with fields code and status.",
       "```json\n{\"code\": \"SW-01\", \"status\": \"in_use\"}\n```", "stop", 0.9, 1.0},
      {"JSON asked, prose given", "Return the asset as JSON with fields code and status.",
       "The asset SW-01 is currently in use by the network team in rack B.", "stop", 0.6, 0.7},
      {"asset code is not a request for source code", "What is the asset code of the core switch in rack B?",
       "The core switch in rack B has asset code SW-01.", "stop", 1.0, 1.0},
      {"JSON required by the system prompt", "Status of SW-01?",
       "It is in use in rack B at the main site.", "stop", 0.0, 0.7},
      {"list asked and given", "List the three layers of the campus network model.",
       "1. Access layer\n2. Distribution layer\n3. Core layer", "stop", 0.9, 1.0},
      {"list asked, prose given", "List the three layers of the campus network model.",
       "The campus model has an access layer, a distribution layer and a core layer on top.", "stop", 0.0, 0.85},
      {"code asked and given", "Write a Python function that converts a MAC address to lower case.",
       "```python\ndef normalise(mac):\n    return mac.lower()\n```", "stop", 0.9, 1.0},
      {"code asked, none given", "Write a Python function that converts a MAC address to lower case.",
       "You can call the lower method on the string and return the result to the caller.", "stop", 0.0, 0.8},
  };
  for (const auto& c : cases) {
    auto system = std::string(c.name) == "JSON required by the system prompt" ? "Always answer in JSON." : "";
    auto q = quality_breakdown(c.answer, ask(c.question, system), c.finish);
    EXPECT_GE(q.score, c.min) << c.name << " completeness=" << q.completeness << " hedging=" << q.hedging
                              << " contradiction=" << q.contradiction << " format=" << q.format;
    EXPECT_LE(q.score, c.max) << c.name << " completeness=" << q.completeness << " hedging=" << q.hedging
                              << " contradiction=" << q.contradiction << " format=" << q.format;
    EXPECT_DOUBLE_EQ(quality_score(c.answer, ask(c.question, system), c.finish), q.score);  // deterministic
  }
}

TEST(QualityScore, OneHedgeInALongAnswerIsCheap) {
  std::string answer;
  for (int i = 0; i < 30; ++i) answer += "The router forwards packets based on the longest prefix match in its table. ";
  answer += "This might differ on platforms with policy routing.";
  auto q = quality_breakdown(answer, ask("How does a router pick a route?"), "stop");
  EXPECT_LE(q.hedging, 0.05);
  EXPECT_GE(q.score, 0.9);
}

TEST(QualityScore, MatchesWholeWordsOnly) {
  // "mighty", "maybelline", "unclearly" are not hedges ("unclear" is, as a whole word).
  auto q = quality_breakdown("The mighty core switch handles it well. Use Maybelline-free labels.",
                             ask("Which switch handles the core?"), "stop");
  EXPECT_EQ(q.hedging, 0.0);
  EXPECT_EQ(q.contradiction, 0.0);
  EXPECT_EQ(q.format, 0.0);
}

TEST(QualityScore, EscalationThresholdsFollowTheScore) {
  // The default per-tier thresholds of SPEC §4.2: a hedging answer escalates from every tier, a direct one
  // satisfies tiers 0–2.
  const double thresholds[] = {0.50, 0.65, 0.75, 0.85};
  auto hedge = quality_score("I'm not sure. It might be, maybe, but I cannot say for certain.", ask("Is it up?"), "stop");
  auto direct = quality_score("Yes. The link is up and has been stable for twelve days according to the monitor.",
                              ask("Is the uplink on SW-01 up?"), "stop");
  for (int tier = 0; tier < 4; ++tier) EXPECT_LT(hedge, thresholds[tier]) << tier;
  for (int tier = 0; tier < 3; ++tier) EXPECT_GE(direct, thresholds[tier]) << tier;
}

TEST(QualityComplexity, TiersFromSizeAndCues) {
  struct Case {
    const char* name;
    json messages;
    int tier;
  };
  std::string long_text(2000, 'a');
  std::string huge_text(7000, 'a');
  json many = json::array();
  for (int i = 0; i < 8; ++i) many.push_back({{"role", i % 2 ? "assistant" : "user"}, {"content", "ok"}});
  const Case cases[] = {
      {"greeting", ask("Hi, how are you?"), 0},
      {"simple fact", ask("What is the default OSPF hello interval?"), 0},
      {"one reasoning cue", ask("Why is my BGP session flapping?"), 1},
      {"long paste", ask(long_text), 1},
      {"long conversation", many, 1},
      {"step by step + reasoning", ask("Explain step by step how to migrate VLANs."), 2},
      {"code block + debug", ask("Debug this:\n```\nint main() { return 1 }\n```"), 2},
      {"first/then + many reasoning cues",  // 1 + 2 points
       ask("First analyze the outage logs, then compare both designs and explain why one failed."), 2},
      {"long paste + first/then + many reasoning cues",  // 1 + 1 + 2 points
       ask(long_text + "\nFirst analyze the outage logs, then compare both designs and explain why one failed."), 3},
      {"huge + code + cues", ask(huge_text + "\n```\nx\n```\nWhy? Prove it and derive the bound step by step."), 3},
      {"not an array", json("junk"), 0},
  };
  for (const auto& c : cases) EXPECT_EQ(complexity_tier(c.messages), c.tier) << c.name;
}
