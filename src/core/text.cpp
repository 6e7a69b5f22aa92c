#include "core/text.hpp"

#include "core/csv.hpp"

namespace netops {

std::string clean_text(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes));
  while (out.size() < max_bytes && !s.empty()) {
    auto bad = csv::invalid_text_at(s);
    std::size_t good = bad ? *bad : s.size();
    out.append(s.substr(0, good));
    if (!bad) break;
    out.push_back('?');
    s.remove_prefix(good + 1);
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace netops
