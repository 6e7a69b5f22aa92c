#pragma once
// The users.tier vocabulary (SPEC §4.2): rate limits, budgets and orchestration rules are chosen by it.
// The one place its names are spelled.
#include <array>
#include <optional>
#include <string_view>

namespace netops {

enum class Tier { free = 0, pro = 1, enterprise = 2, unlimited = 3 };
inline constexpr std::array<Tier, 4> kTiers = {Tier::free, Tier::pro, Tier::enterprise, Tier::unlimited};

std::string_view tier_name(Tier t);
std::optional<Tier> parse_tier(std::string_view s);
// "free, pro, enterprise or unlimited" — for validation messages.
std::string_view tier_names_text();

}  // namespace netops
