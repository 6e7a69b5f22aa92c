#pragma once
#include <cstddef>

#include "core/config.hpp"

namespace netops::assets {

struct AssetsSettings {
  std::size_t attachment_limit = 25u << 20;  // bytes per attachment (SPEC §4.4)
  std::size_t import_limit = 64u << 20;      // bytes per CSV import body
  std::size_t import_max_rows = 200'000;     // data rows per CSV import
  // Lists whose matches exceed this many answer meta.total = this lower bound (totalExact false) and count
  // exactly in the background. 0 = always count exactly.
  long long list_exact_total = 10000;
};
const ConfigSection<AssetsSettings>& assets_section();

}  // namespace netops::assets
