#include "core/etag.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"

namespace netops {

std::string etag_of(const nlohmann::json& representation) {
  return "W/\"" + sha256_hex(representation.dump()).substr(0, 20) + "\"";
}

void check_expected_etag(const std::optional<std::string>& expected, const nlohmann::json& current_representation) {
  if (!expected) return;
  auto current = etag_of(current_representation);
  // A client may send the strong form of our weak tag.
  if (*expected == current || ("W/" + *expected) == current) return;
  throw AppError(ErrorCode::precondition_failed, "the resource changed since it was read (If-Match does not match)",
                 {{"currentEtag", current}});
}

}  // namespace netops
