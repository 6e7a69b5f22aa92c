#include "http/router.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <stdexcept>

#include "http/scopes.hpp"

namespace netops::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
  std::unique_ptr<Node> param;
  std::string param_name;
  std::map<std::string, const RouteSpec*, std::less<>> methods;
};

namespace {
// Segments of a path; the inline room covers every route's depth, so matching a request allocates nothing
// for them.
using Segments = boost::container::small_vector<std::string_view, 8>;

Segments split(std::string_view path) {
  Segments out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}
}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

RouteSpec& Router::add(std::string method, std::string path, Role min_role, Handler h) {
  Node* n = root_.get();
  for (auto seg : split(path)) {
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name(seg.substr(1, seg.size() - 2));
      if (!n->param) {
        n->param = std::make_unique<Node>();
        n->param->param_name = name;
      } else if (n->param->param_name != name) {
        throw std::logic_error("route " + path + ": parameter {" + name + "} conflicts with {" +
                               n->param->param_name + "}");
      }
      n = n->param.get();
    } else {
      auto it = n->literal.find(seg);
      if (it == n->literal.end()) it = n->literal.emplace(std::string(seg), std::make_unique<Node>()).first;
      n = it->second.get();
    }
  }
  if (n->methods.count(method)) throw std::logic_error("route registered twice: " + method + " " + path);
  RouteSpec spec;
  spec.method = method;
  spec.path = std::move(path);
  spec.min_role = min_role;
  spec.scope_ = default_scope(spec.method, spec.path);
  spec.handler = std::move(h);
  routes_.push_back(std::move(spec));
  n->methods.emplace(std::move(method), &routes_.back());
  return routes_.back();
}

Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  const Node* n = root_.get();
  // Literal segments win over parameters ("/assets/export" before "/assets/{id}"); one level of
  // backtracking is enough for the route shapes we have, so keep a small explicit stack.
  struct Frame {
    const Node* node;
    std::size_t seg;
    std::size_t params;
    bool tried_literal;
  };
  auto segs = split(path);
  boost::container::small_vector<Frame, 8> stack{{n, 0, 0, false}};
  std::vector<std::pair<std::string, std::string>> params;
  const Node* found = nullptr;
  while (!stack.empty()) {
    Frame& f = stack.back();
    params.resize(f.params);
    if (f.seg == segs.size()) {
      if (!f.node->methods.empty()) {
        found = f.node;
        break;
      }
      stack.pop_back();
      continue;
    }
    if (!f.tried_literal) {
      f.tried_literal = true;
      auto it = f.node->literal.find(segs[f.seg]);
      if (it != f.node->literal.end()) {
        stack.push_back({it->second.get(), f.seg + 1, f.params, false});
        continue;
      }
    }
    Frame cur = f;
    stack.pop_back();
    if (cur.node->param) {
      params.emplace_back(cur.node->param->param_name, std::string(segs[cur.seg]));
      stack.push_back({cur.node->param.get(), cur.seg + 1, params.size(), false});
    }
  }
  if (!found) return m;
  auto it = found->methods.find(method);
  if (it == found->methods.end() && method == "HEAD") it = found->methods.find("GET");
  if (it == found->methods.end()) {
    for (auto& [name, _] : found->methods) m.allowed.push_back(name);
    return m;
  }
  m.route = it->second;
  m.params = std::move(params);
  return m;
}

}  // namespace netops::http
