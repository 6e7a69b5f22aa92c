#include "modules/tools/schema.hpp"

#include <re2/re2.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace netops::tools {

using nlohmann::json;

namespace {

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Compiled patterns by source: schemas are the server's own, so the set is small and fixed.
const RE2* compiled(const std::string& pattern) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second.get();
  if (cache.size() > 256) return nullptr;
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(1 << 20);
  auto re = std::make_unique<RE2>(pattern, o);
  if (!re->ok()) return nullptr;
  return cache.emplace(pattern, std::move(re)).first->second.get();
}

// A non-negative integer keyword (schemas built in C++ hold signed integers, parsed ones unsigned).
bool count_of(const json& schema, const char* key, std::size_t& out) {
  auto it = schema.find(key);
  if (it == schema.end() || !it->is_number_integer() || it->get<long long>() < 0) return false;
  out = static_cast<std::size_t>(it->get<long long>());
  return true;
}

bool is_type(const json& v, const std::string& t) {
  if (t == "string") return v.is_string();
  if (t == "integer") return v.is_number_integer() || (v.is_number_float() && std::isfinite(v.get<double>()) &&
                                                      std::floor(v.get<double>()) == v.get<double>());
  if (t == "number") return v.is_number();
  if (t == "boolean") return v.is_boolean();
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "null") return v.is_null();
  return true;  // unknown type names constrain nothing
}

std::string type_text(const json& t) {
  if (t.is_string()) return t.get<std::string>();
  std::string out;
  for (const auto& one : t) {
    if (!out.empty()) out += " or ";
    out += one.is_string() ? one.get<std::string>() : one.dump();
  }
  return out;
}

std::string article(const std::string& type) {
  if (type.empty()) return type;
  return (type[0] == 'a' || type[0] == 'i' || type[0] == 'o') ? "an " + type : "a " + type;
}

struct Walker {
  std::vector<SchemaError> errors;
  void add(const std::string& path, std::string message) {
    if (errors.size() < kMaxErrors) errors.push_back({path, std::move(message)});
  }
  bool full() const { return errors.size() >= kMaxErrors; }

  void walk(const json& schema, const json& v, const std::string& path, int depth) {
    if (full()) return;
    if (depth > kMaxDepth) return add(path, "is nested too deeply");
    if (!schema.is_object()) return;
    if (auto t = schema.find("type"); t != schema.end()) {
      bool ok = false;
      if (t->is_string()) ok = is_type(v, t->get<std::string>());
      else if (t->is_array())
        for (const auto& one : *t) ok = ok || (one.is_string() && is_type(v, one.get<std::string>()));
      else ok = true;
      if (!ok) return add(path, "must be " + article(type_text(*t)));
    }
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      bool found = false;
      for (const auto& one : *e) found = found || one == v;
      if (!found) {
        std::string list;
        for (const auto& one : *e) list += (list.empty() ? "" : ", ") + one.dump();
        add(path, "must be one of " + list);
      }
    }
    if (v.is_number()) {
      double x = v.get<double>();
      if (auto m = schema.find("minimum"); m != schema.end() && m->is_number() && x < m->get<double>())
        add(path, "must be at least " + m->dump());
      if (auto m = schema.find("maximum"); m != schema.end() && m->is_number() && x > m->get<double>())
        add(path, "must be at most " + m->dump());
    }
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      auto n = code_points(s);
      std::size_t limit = 0;
      if (count_of(schema, "minLength", limit) && n < limit)
        add(path, "must be at least " + std::to_string(limit) + " characters");
      if (count_of(schema, "maxLength", limit) && n > limit)
        add(path, "must be at most " + std::to_string(limit) + " characters");
      if (auto p = schema.find("pattern"); p != schema.end() && p->is_string()) {
        const RE2* re = compiled(p->get<std::string>());
        if (re && !RE2::PartialMatch(s, *re)) add(path, "must match the pattern " + p->get<std::string>());
      }
    }
    if (v.is_array()) {
      std::size_t limit = 0;
      if (count_of(schema, "minItems", limit) && v.size() < limit)
        add(path, "must have at least " + std::to_string(limit) + " items");
      if (count_of(schema, "maxItems", limit) && v.size() > limit)
        return add(path, "must have at most " + std::to_string(limit) + " items");
      if (auto items = schema.find("items"); items != schema.end() && items->is_object())
        for (std::size_t i = 0; i < v.size() && !full(); ++i)
          walk(*items, v[i], path + "[" + std::to_string(i) + "]", depth + 1);
    }
    if (v.is_object()) {
      auto props = schema.find("properties");
      if (auto r = schema.find("required"); r != schema.end() && r->is_array())
        for (const auto& name : *r)
          if (name.is_string() && !v.contains(name.get<std::string>()))
            add(path + "." + name.get<std::string>(), "is required");
      auto extra = schema.find("additionalProperties");
      for (const auto& [key, value] : v.items()) {
        if (full()) break;
        const json* sub = nullptr;
        if (props != schema.end() && props->is_object())
          if (auto p = props->find(key); p != props->end()) sub = &*p;
        if (sub) {
          walk(*sub, value, path + "." + key, depth + 1);
        } else if (extra != schema.end()) {
          if (extra->is_boolean() && !extra->get<bool>()) add(path + "." + key, "is not a known argument");
          else if (extra->is_object()) walk(*extra, value, path + "." + key, depth + 1);
        }
      }
    }
  }
};

}  // namespace

std::vector<SchemaError> validate(const json& schema, const json& value, const std::string& root) {
  Walker w;
  w.walk(schema, value, root, 0);
  return std::move(w.errors);
}

json to_json(const std::vector<SchemaError>& errors) {
  json out = json::array();
  for (const auto& e : errors) out.push_back({{"field", e.path}, {"message", e.message}});
  return out;
}

std::string describe(const std::vector<SchemaError>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e.path + ": " + e.message;
  return out;
}

}  // namespace netops::tools
