#pragma once
// The routes of a collection that belongs to one object — a repair order's parts and reservations, a
// service's members: list them, add one, remove one. Declared once so that every such collection answers
// the same way (the list as one page of every item, 201 with the added item, the removal's answer or 204).
//
//   http::list_children(router, base + "/{id}/parts", Role::user,
//                       [svc](const std::string& id) { return svc->parts(id); });
//   http::add_child(router, base + "/{id}/parts", Role::admin, [](const Request& r) { return parse_part_line(r.json()); },
//                   [svc](const std::string& id, const PartInput& in, const Caller& by) { return svc->add_part(id, in, by); });
//   http::remove_child(router, base + "/{id}/parts/{lineId}", "lineId", Role::admin,
//                      [svc](const std::string& id, const std::string& line, const Caller& by) { return svc->remove_part(id, line, by); });
// Each returns the RouteSpec for its summary, tag and schemas. `run` yields a JSON value or anything with a
// to_json(const T&) found by argument-dependent lookup; a list yields a JSON array or a std::vector.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>

#include "http/listing.hpp"
#include "http/router.hpp"

namespace netops::http {

namespace detail {
template <class T>
nlohmann::json as_json(const T& v) {
  if constexpr (std::is_same_v<T, nlohmann::json>) {
    return v;
  } else {
    return to_json(v);
  }
}
}  // namespace detail

// GET <path> with {id}: every item, as one page ({"data": [...], "page": 1, …}).
template <class Run>
RouteSpec& list_children(Router& router, std::string path, Role role, Run run) {
  return router.get(std::move(path), role, [run](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
    auto items = co_await run(id);
    nlohmann::json data = nlohmann::json::array();
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(items)>, nlohmann::json>) {
      data = std::move(items);
    } else {
      for (auto& item : items) data.push_back(detail::as_json(item));
    }
    auto n = static_cast<long long>(data.size());
    co_return page(std::move(data), 1, std::max(n, 1LL), n);
  });
}

// POST <path> with {id}: parse(request) → run(id, input, caller) → 201 with the added item.
template <class Parse, class Run>
RouteSpec& add_child(Router& router, std::string path, Role role, Parse parse, Run run) {
  return router.post(std::move(path), role, [parse, run](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");
    auto in = parse(req);
    auto by = req.caller();
    auto added = co_await run(id, in, by);
    co_return Response::json(detail::as_json(added), 201);
  });
}

// DELETE <path> with {id} and {<child_param>}: run(id, child_id, caller) → its answer (200), or 204 when
// it yields nothing.
template <class Run>
RouteSpec& remove_child(Router& router, std::string path, std::string child_param, Role role, Run run) {
  return router.del(std::move(path), role, [child_param, run](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");
    auto child = req.path_uuid(child_param);
    auto by = req.caller();
    if constexpr (std::is_void_v<typename decltype(run(id, child, by))::value_type>) {
      co_await run(id, child, by);
      co_return Response::no_content();
    } else {
      auto out = co_await run(id, child, by);
      co_return Response::json(detail::as_json(out));
    }
  });
}

}  // namespace netops::http
