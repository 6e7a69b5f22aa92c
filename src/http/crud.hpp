#pragma once
// The routes of a plain resource, declared once (CONVENTIONS "one mechanism, many uses"):
//   GET base (list) · GET base/{id} (with ETag) · POST base · PATCH and PUT base/{id} (If-Match) · DELETE base/{id}
// The module gives the HTTP shape (schemas, list filters, how a body becomes its typed input) and a service
// with the usual members; the mechanism writes the handlers and their /docs/json entries, so every resource
// answers lists, ETags, 201/204 and If-Match the same way. Routes a resource does not have are switched off.
//
//   http::crud(ctx.router, svc, http::CrudSpec<VendorInput, ListFilter>{
//       .base = "/api/v1/vendors", .noun = "vendor", .tag = "assets",
//       .item_schema = kVendor, .input_schema = kInput, .list = kList,
//       .filter = [](const Request& r) { ListFilter f; f.search = r.query("search"); return f; },
//       .parse = parse_vendor});
//
// The service (one class, any name) provides what the enabled routes call:
//   Task<db::Page<T>> list(const Filter&, const db::PageRequest&, const db::Sort&);
//   Task<T> get(const std::string& id);                                   // 404 when absent
//   Task<T> create(const Input&, const Caller&);
//   Task<T> update(const std::string& id, const Input&, const std::optional<std::string>& if_match, const Caller&);
//   Task<void> remove(const std::string& id, const Caller&)   or   remove(id, if_match, caller)
// and to_json(const T&) is found by argument-dependent lookup (the same representation the ETag covers).
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/caller.hpp"
#include "core/etag.hpp"
#include "http/listing.hpp"
#include "http/router.hpp"

namespace netops::http {

template <class Input, class Filter, class Patch = Input>
struct CrudSpec {
  std::string base = {};  // "/api/v1/vendors"
  std::string noun = {};  // "vendor": the summaries' wording
  std::string tag = {};   // OpenAPI tag
  nlohmann::json item_schema = nlohmann::json::object();
  nlohmann::json input_schema = nlohmann::json::object();
  ListSpec list{};
  std::function<Filter(const Request&)> filter = {};                     // query parameters → typed filter
  std::function<Input(const nlohmann::json&, bool creating)> parse = {};  // body → typed input (400 naming fields)
  Role read_role = Role::user;
  Role write_role = Role::admin;
  std::optional<Role> create_role = {};  // when creating needs another role than editing (default write_role)
  bool with_list = true, with_get = true, with_create = true, with_update = true, with_delete = true;
  std::string delete_summary = {};  // what a delete refuses, e.g. "409 naming what still refers to it"
  // Replace the generic /docs/json summaries where a route has more to say (empty = generic).
  struct Summaries {
    std::string list = {}, get = {}, create = {}, update = {};
  } summaries = {};
  nlohmann::json list_schema = nullptr;    // the list's response schema, when documented
  nlohmann::json update_schema = nullptr;  // PATCH/PUT body schema when it differs from input_schema
  bool uuid_ids = true;                  // ids are UUIDs (400 otherwise); false: any path segment (e.g. "openai")
  // When the update's parsing needs the id (e.g. to validate a rename), or when an update takes its own typed
  // input (Patch ≠ Input); else parse(body, false) is used.
  std::function<Patch(const nlohmann::json&, const std::string& id)> parse_update = {};
};

// "a vendor", "an asset model"
inline std::string with_article(const std::string& noun) {
  bool vowel = !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + noun;
}

// The JSON of one object with its ETag (SPEC §2: every single-object GET returns one).
inline Response tagged_json(const nlohmann::json& representation, int status = 200) {
  auto etag = etag_of(representation);
  return Response::json(representation, status).header("ETag", etag);
}

namespace detail {
inline std::string id_of(const Request& req, bool uuid) {
  return uuid ? req.path_uuid("id") : std::string(req.path_param("id"));
}
inline std::string or_generic(const std::string& given, std::string generic) {
  return given.empty() ? std::move(generic) : given;
}
// What the service offers (a route switched on for a service without its member fails at start-up).
using IfMatch = std::optional<std::string>;
template <class Svc, class Input>
concept Creates = requires(Svc& s, const Input& in, const Caller& c) { s.create(in, c); };
template <class Svc, class Patch>
concept Updates = requires(Svc& s, const std::string& id, const Patch& in, const IfMatch& e, const Caller& c) {
  s.update(id, in, e, c);
};
template <class Svc>
concept Removes = requires(Svc& s, const std::string& id, const IfMatch& e, const Caller& c) { s.remove(id, c); } ||
                  requires(Svc& s, const std::string& id, const IfMatch& e, const Caller& c) { s.remove(id, e, c); };
}  // namespace detail

template <class Svc, class Input, class Filter, class Patch>
void crud(Router& router, std::shared_ptr<Svc> svc, const CrudSpec<Input, Filter, Patch>& spec) {
  const std::string one = spec.base + "/{id}";
  const auto list_spec = spec.list;
  const bool uuid = spec.uuid_ids;
  const auto& say = spec.summaries;
  if (spec.with_list) {
    auto filter = spec.filter;
    auto& route = router
        .get(spec.base, spec.read_role,
             [svc, filter, list_spec](Request& req) -> Task<Response> {
               Filter f = filter ? filter(req) : Filter{};
               auto q = list_query(req, list_spec);
               auto page_of = co_await svc->list(f, q.page, q.sort);
               co_return page(page_of, [](const auto& item) { return to_json(item); });
             })
        .summary(detail::or_generic(say.list, "List " + spec.noun + "s (page, pageSize ≤ 1000, filters, sort)"))
        .tag(spec.tag)
        .list(list_spec);
    if (!spec.list_schema.is_null()) route.response(spec.list_schema);
  }
  if (spec.with_get) {
    router
        .get(one, spec.read_role,
             [svc, uuid](Request& req) -> Task<Response> {
               auto id = detail::id_of(req, uuid);  // named: GCC 12 mishandles temporaries in co_await
               auto item = co_await svc->get(id);
               co_return tagged_json(to_json(item));
             })
        .summary(detail::or_generic(say.get, "One " + spec.noun + ", with an ETag for If-Match"))
        .tag(spec.tag)
        .response(spec.item_schema);
  }
  auto parse = spec.parse;
  if (spec.with_create) {
    if constexpr (detail::Creates<Svc, Input>) {
      router
          .post(spec.base, spec.create_role.value_or(spec.write_role),
                [svc, parse](Request& req) -> Task<Response> {
                  Input in = parse(req.json(), true);
                  auto by = req.caller();
                  auto item = co_await svc->create(in, by);
                  co_return tagged_json(to_json(item), 201);
                })
          .summary(detail::or_generic(say.create, "Create " + with_article(spec.noun)))
          .tag(spec.tag)
          .request(spec.input_schema)
          .response(spec.item_schema, 201);
    } else {
      throw std::logic_error("http::crud(" + spec.base + "): the service has no create");
    }
  }
  if (spec.with_update) {
    if constexpr (detail::Updates<Svc, Patch>) {
      auto parse_update = spec.parse_update;
      auto update = [svc, parse, parse_update, uuid](Request& req) -> Task<Response> {
        auto id = detail::id_of(req, uuid);
        Patch in = [&] {
          if constexpr (std::is_same_v<Patch, Input>) {
            return parse_update ? parse_update(req.json(), id) : parse(req.json(), false);
          } else {
            return parse_update(req.json(), id);  // required when Patch ≠ Input
          }
        }();
        auto expected = req.if_match();
        auto by = req.caller();
        auto item = co_await svc->update(id, in, expected, by);
        co_return tagged_json(to_json(item));
      };
      const auto& update_schema = spec.update_schema.is_null() ? spec.input_schema : spec.update_schema;
      router.patch(one, spec.write_role, update)
          .summary(detail::or_generic(say.update,
                                      "Update " + with_article(spec.noun) + " (partial; If-Match → 412 when stale)"))
          .tag(spec.tag)
          .request(update_schema)
          .response(spec.item_schema);
      router.put(one, spec.write_role, update)
          .summary("Same as PATCH")
          .tag(spec.tag)
          .request(update_schema)
          .response(spec.item_schema);
    } else {
      throw std::logic_error("http::crud(" + spec.base + "): the service has no update");
    }
  }
  if (spec.with_delete) {
    if constexpr (detail::Removes<Svc>) {
      router
          .del(one, spec.write_role,
               [svc, uuid](Request& req) -> Task<Response> {
                 auto id = detail::id_of(req, uuid);
                 auto by = req.caller();
                 if constexpr (requires { svc->remove(id, req.if_match(), by); }) {
                   auto expected = req.if_match();
                   co_await svc->remove(id, expected, by);
                 } else {
                   co_await svc->remove(id, by);
                 }
                 co_return Response::no_content();
               })
          .summary("Delete " + with_article(spec.noun) + (spec.delete_summary.empty() ? "" : "; " + spec.delete_summary))
          .tag(spec.tag)
          .response(nullptr, 204);
    } else {
      throw std::logic_error("http::crud(" + spec.base + "): the service has no remove");
    }
  }
}

// A verb on one object: POST <path> with {id} in it (a state change such as /approve or /status). `parse`
// turns the request into the service's typed input (body fields, If-Match, …); `run(id, input, caller)` calls
// the service and yields the object after the change; the answer is that object with its ETag, as its GET
// answers it. The returned RouteSpec takes the summary, tag and schemas.
//
//   http::action(ctx.router, base + "/{id}/approve", Role::admin,
//                [](const Request& r) { return reason_of(r, {"note"}); },
//                [svc](const std::string& id, const auto& note, const Caller& by) { return svc->approve(id, note, by); })
//       .summary("submitted → approved").tag("workflow").request(kNote).response(kRequest);
template <class Parse, class Run>
RouteSpec& action(Router& router, std::string path, Role role, Parse parse, Run run) {
  return router.post(std::move(path), role, [parse, run](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
    auto in = parse(req);
    auto by = req.caller();
    auto item = co_await run(id, in, by);
    co_return tagged_json(to_json(item));
  });
}

// The same for a verb without input: `run(id, caller)`.
template <class Run>
RouteSpec& action(Router& router, std::string path, Role role, Run run) {
  return router.post(std::move(path), role, [run](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");
    auto by = req.caller();
    auto item = co_await run(id, by);
    co_return tagged_json(to_json(item));
  });
}

// The input of a verb whose only input is the If-Match header.
inline std::optional<std::string> if_match_of(const Request& req) { return req.if_match(); }

// The body of a request whose body is optional: the parsed object, or {} when the body is empty.
inline const nlohmann::json& body_or_empty(const Request& req) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  return req.body.empty() ? kEmpty : req.json();
}

}  // namespace netops::http
