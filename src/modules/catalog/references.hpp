#pragma once
// The catalog's delete rule: an object still referred to is not deleted, and the 409 says by what.
#include <string>
#include <vector>

namespace netops::catalog {

// One kind of row that refers to the object being deleted.
struct Reference {
  std::string key;       // details key, e.g. "assetModels"
  std::string singular;  // "asset model"
  std::string plural;    // "asset models"
  long long count = 0;
};
// 409 CONFLICT "vendor is used by 3 asset models and 1 asset" with details {"assetModels":3,"assets":1}
// when any count is non-zero.
void refuse_if_referenced(const std::string& what, const std::vector<Reference>& refs);

}  // namespace netops::catalog
