#include "modules/warehouse/stock_math.hpp"

#include <algorithm>

namespace netops::warehouse {

std::vector<StockKey> keys_of(const std::vector<Effect>& effects) {
  std::vector<StockKey> keys;
  for (auto& e : effects) keys.emplace_back(e.warehouse_id, e.part_id);
  std::sort(keys.begin(), keys.end());  // lower-case UUID text sorts as PostgreSQL sorts uuid
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<Shortfall> shortfalls(std::map<StockKey, StockState> states, const std::vector<Effect>& effects) {
  std::vector<Shortfall> out;
  for (auto& e : effects) {
    auto& s = states[{e.warehouse_id, e.part_id}];
    long long available = s.on_hand - s.reserved;
    long long delta = static_cast<long long>(e.sign) * e.qty;
    bool short_of = false;
    if (delta < 0 && available + delta < 0) short_of = true;                       // out of unreserved stock
    if (e.reserved_delta > 0 && available - e.reserved_delta < 0) short_of = true;  // reserve
    if (e.reserved_delta < 0 && s.reserved + e.reserved_delta < 0) short_of = true; // release more than held
    if (short_of) {
      out.push_back({e.warehouse_id, e.part_id, e.movement_type, e.reserved_delta < 0 ? s.reserved : available,
                     static_cast<long long>(e.qty)});
      continue;  // the shortfall is reported; the state is left as it was
    }
    s.on_hand += delta;
    s.reserved += e.reserved_delta;
  }
  return out;
}

std::vector<Effect> effects_of(const std::string& doc_type, const std::string& document_id,
                               const std::string& warehouse_id, const std::optional<std::string>& target_id,
                               const std::vector<DocLine>& lines) {
  std::vector<Effect> out;
  for (auto& l : lines) {
    Effect e;
    e.warehouse_id = warehouse_id;
    e.part_id = l.part_id;
    e.qty = l.qty;
    e.ref_id = document_id;
    if (doc_type == "receipt") {
      e.movement_type = "in";
      e.sign = 1;
      e.cost = l.unit_cost;
    } else if (doc_type == "issue") {
      e.movement_type = "out";
      e.sign = -1;
    } else if (doc_type == "adjust") {
      bool plus = l.adjust_direction.value_or("plus") == "plus";
      e.movement_type = plus ? "adjust_in" : "adjust_out";
      e.sign = plus ? 1 : -1;
      if (plus) e.cost = l.unit_cost;
    } else {  // transfer
      e.movement_type = "transfer_out";
      e.sign = -1;
      out.push_back(e);
      e.warehouse_id = target_id.value_or("");
      e.movement_type = "transfer_in";
      e.sign = 1;
      e.cost_from_previous = true;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Effect> reversal_of(const std::vector<Effect>& movements, const std::string& reversal_id) {
  std::vector<Effect> out;
  for (auto it = movements.rbegin(); it != movements.rend(); ++it) {
    Effect e = *it;
    bool was_in = e.movement_type == "in" || e.movement_type == "adjust_in" || e.movement_type == "transfer_in";
    e.movement_type = reversed_type(e.movement_type);
    e.sign = was_in ? -1 : 1;
    e.cost_from_previous = false;
    e.reserved_delta = 0;
    e.ref_type = "stock_document";
    e.ref_id = reversal_id;
    out.push_back(std::move(e));
  }
  return out;
}

std::string reversed_type(const std::string& t) {
  if (t == "in") return "out";
  if (t == "out") return "in";
  if (t == "adjust_in") return "adjust_out";
  if (t == "adjust_out") return "adjust_in";
  if (t == "transfer_in") return "transfer_out";
  if (t == "transfer_out") return "transfer_in";
  if (t == "reserve") return "release";
  return "reserve";
}

}  // namespace netops::warehouse
