// Asset bodies (POST/PATCH/PUT /api/v1/assets, …/status, …/assign, …/return, …/move) as the routes read them:
// Request::json() (depth limit, NUL refusal) then the assets module's parsers into typed inputs, plus the
// shared BodyReader every CRUD module uses. Accepted values go to SQL parameters, so they must be clean UTF-8
// text, and their canonical form must read back to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"
#include "http/body.hpp"
#include "http/request.hpp"
#include "modules/assets/asset_body.hpp"
#include "modules/assets/types.hpp"
#include "support.hpp"

using namespace netops;
using nlohmann::json;

namespace {

template <class F>
void tolerate(F&& f) {
  try {
    f();
  } catch (const AppError& e) {
    fuzz::check(e.status() >= 400 && e.status() < 500, "a body made a non-4xx error");
    fuzz::render_like_server(e.details());
  }
}

void clean(const assets::Values& values) {
  for (auto& [k, v] : values)
    if (v) fuzz::check(!invalid_text_at(*v), "an accepted asset value is not clean text");
}

void generic_reader(const json& body) {
  Validation v;
  http::BodyReader b(body, v, true);
  std::string name, kind = "a";
  std::optional<std::string> desc, email, status;
  int qty = 0;
  long long big = 0;
  std::optional<int> opt_qty;
  std::optional<long long> opt_big;
  bool flag = false;
  std::optional<bool> opt_flag;
  json attrs;
  std::optional<std::optional<std::string>> parent;
  b.text("name", name, 200);
  b.opt_text("description", desc, 2000);
  b.string("email", email);
  b.one_of("kind", kind, {"a", "b", "c"}, true);
  b.opt_one_of("status", status, {"active", "retired"});
  b.integer("qty", qty, -2147483648LL, 2147483647LL, false);
  b.integer("big", big, INT64_MIN, INT64_MAX, false);
  b.opt_integer("optQty", opt_qty, 0, 1000000);
  b.opt_integer("optBig", opt_big, INT64_MIN, INT64_MAX);
  b.boolean("flag", flag);
  b.opt_boolean("optFlag", opt_flag);
  b.object("attributes", attrs);
  b.uuid("parentId", parent);
  b.only({"name", "description", "email", "kind", "status", "qty", "big", "optQty", "optBig", "flag", "optFlag",
          "attributes", "parentId"},
         {"id", "createdAt"});
  b.immutable_id("00000000-0000-4000-8000-000000000001");
  tolerate([&] { v.throw_if_any(); });
  // An accepted integer is the number the client sent, never another one.
  for (const char* f : {"big", "optBig", "qty"}) {
    Validation one;
    http::BodyReader r(body, one);
    std::optional<long long> got;
    r.opt_integer(f, got, -1000, INT64_MAX);
    if (one.empty() && got)
      fuzz::check(json(*got).dump() == body[f].dump(), "an integer field was accepted as another number");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::Request req;
  req.body.assign(reinterpret_cast<const char*>(data), size);
  const json* body = nullptr;
  tolerate([&] { body = &req.json(); });
  if (!body) return 0;

  tolerate([&] {
    auto values = assets::parse_new_asset(*body);
    clean(values);
    // The canonical values, sent back as a body, are accepted as they are.
    auto again = assets::parse_new_asset(assets::values_json(values));
    fuzz::check(again == values, "canonical asset values do not read back to themselves");
  });
  tolerate([&] { clean(assets::parse_asset_patch(*body)); });
  tolerate([&] {
    auto s = assets::parse_status_change(*body);
    fuzz::check(!invalid_text_at(s.to), "status is not clean text");
  });
  tolerate([&] {
    auto a = assets::parse_assignment(*body);
    fuzz::check(!invalid_text_at(a.assignee_name) && !invalid_text_at(a.assignee_id), "assignee is not clean text");
  });
  tolerate([&] { (void)assets::parse_return(*body); });
  tolerate([&] { (void)assets::parse_move(*body); });
  generic_reader(*body);
  return 0;
}
