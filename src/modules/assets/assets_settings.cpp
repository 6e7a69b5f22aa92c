#include "modules/assets/assets_settings.hpp"

namespace netops::assets {

const ConfigSection<AssetsSettings>& assets_section() {
  static const ConfigSection<AssetsSettings> s{
      "assets",
      {{"NETOPS_ATTACHMENT_LIMIT", "26214400", "largest asset attachment in bytes (25 MiB)"},
       {"NETOPS_IMPORT_LIMIT", "67108864", "largest CSV import body in bytes (64 MiB)"},
       {"NETOPS_IMPORT_MAX_ROWS", "200000", "most data rows of one CSV import (more: the file is refused)"},
       {"NETOPS_LIST_EXACT_TOTAL", "10000",
        "asset lists count exactly up to this many matches; beyond, meta.total is that lower bound (totalExact "
        "false) until the exact count, run in the background, is cached (0 = always exact)"}},
      [](ConfigReader& r, AssetsSettings& s) {
        r.number<std::size_t>("NETOPS_ATTACHMENT_LIMIT", s.attachment_limit, 1, std::size_t(1) << 34);
        r.number<std::size_t>("NETOPS_IMPORT_LIMIT", s.import_limit, 1024, std::size_t(1) << 34);
        r.number<std::size_t>("NETOPS_IMPORT_MAX_ROWS", s.import_max_rows, 1, 10'000'000);
        r.number<long long>("NETOPS_LIST_EXACT_TOTAL", s.list_exact_total, 0, 1'000'000'000);
      }};
  return s;
}

}  // namespace netops::assets
