#pragma once
// The pure part of posting: what a list of effects does to the locked stock rows, and which effects the
// rows cannot take (available = on_hand − reserved may never go below zero). Unit-tested.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "modules/warehouse/types.hpp"

namespace netops::warehouse {

using StockKey = std::pair<std::string, std::string>;  // (warehouse_id, part_id): the lock order

struct Shortfall {
  std::string warehouse_id, part_id, movement_type;
  long long available = 0, requested = 0;
};

// The distinct rows the effects touch, in lock order (warehouse, part).
std::vector<StockKey> keys_of(const std::vector<Effect>& effects);

// Applies the effects in order to a copy of the states (quantities only) and returns every effect that
// would drive available or reserved below zero; empty when the posting may proceed.
std::vector<Shortfall> shortfalls(std::map<StockKey, StockState> states, const std::vector<Effect>& effects);

// The effects of posting a document's lines: receipt +qty (in), issue −qty (out), adjust ±qty (adjust_in /
// adjust_out), transfer −qty at the source (transfer_out) and +qty at the target (transfer_in, at the cost
// that left the source).
std::vector<Effect> effects_of(const std::string& doc_type, const std::string& document_id,
                               const std::string& warehouse_id, const std::optional<std::string>& target_id,
                               const std::vector<DocLine>& lines);
// What undoes a posted document's movements (newest first, each at the cost it moved at).
std::vector<Effect> reversal_of(const std::vector<Effect>& movements, const std::string& reversal_id);

// Movement type of an effect reversed: in ↔ out, adjust_in ↔ adjust_out, transfer_in ↔ transfer_out.
std::string reversed_type(const std::string& movement_type);

}  // namespace netops::warehouse
