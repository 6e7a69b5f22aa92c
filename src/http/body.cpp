#include "http/body.hpp"

#include <algorithm>
#include <cstdint>

#include "core/ids.hpp"

namespace netops::http {

using nlohmann::json;

const json* BodyReader::get(const char* f) const {
  auto it = body_.find(f);
  return it == body_.end() ? nullptr : &*it;
}

void BodyReader::missing(const char* f) {
  if (creating_) v_.add(f, "is required");
}

void BodyReader::text(const char* f, std::string& out, std::size_t max) {
  auto* j = get(f);
  if (!j) return missing(f);
  if (!j->is_string() || j->get_ref<const std::string&>().empty() || j->get_ref<const std::string&>().size() > max)
    return v_.add(f, "must be a non-empty string of at most " + std::to_string(max) + " characters");
  out = j->get<std::string>();
}

void BodyReader::opt_text(const char* f, std::optional<std::string>& out, std::size_t max) {
  auto* j = get(f);
  if (!j) return;
  if (j->is_null() || (j->is_string() && j->get_ref<const std::string&>().empty())) return out.reset();
  if (!j->is_string() || j->get_ref<const std::string&>().size() > max)
    return v_.add(f, "must be a string of at most " + std::to_string(max) + " characters");
  out = j->get<std::string>();
}

void BodyReader::string(const char* f, std::optional<std::string>& out) {
  auto* j = get(f);
  if (!j) return;
  if (j->is_null()) return out.reset();
  if (!j->is_string()) return v_.add(f, "must be a string");
  out = j->get<std::string>();
}

namespace {
std::string list_of(std::initializer_list<const char*> allowed) {
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return list;
}
}  // namespace

void BodyReader::one_of(const char* f, std::string& out, std::initializer_list<const char*> allowed, bool required) {
  auto* j = get(f);
  if (!j) return required ? missing(f) : void();
  if (j->is_string())
    for (auto* a : allowed)
      if (j->get_ref<const std::string&>() == a) return void(out = a);
  v_.add(f, "must be one of " + list_of(allowed));
}

void BodyReader::opt_one_of(const char* f, std::optional<std::string>& out, std::initializer_list<const char*> allowed) {
  auto* j = get(f);
  if (!j) return;
  if (j->is_null()) return out.reset();
  std::string v;
  one_of(f, v, allowed, false);
  if (!v.empty()) out = v;
}

bool BodyReader::integer_in(const json& j, const std::string& f, long long min, long long max, long long& out) {
  // An unsigned value beyond INT64_MAX is no long long: refused, never wrapped to a negative (found by fuzzing).
  bool fits = j.is_number_integer() &&
              !(j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX));
  if (!fits || j.get<long long>() < min || j.get<long long>() > max) {
    v_.add(f, "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
    return false;
  }
  out = j.get<long long>();
  return true;
}

void BodyReader::integer(const char* f, long long& out, long long min, long long max, bool required) {
  auto* j = get(f);
  if (!j) return required ? missing(f) : void();
  long long x = 0;
  if (integer_in(*j, f, min, max, x)) out = x;
}

void BodyReader::integer(const char* f, int& out, long long min, long long max, bool required) {
  long long x = out;
  integer(f, x, min, max, required);
  out = static_cast<int>(x);
}

void BodyReader::opt_integer(const char* f, std::optional<long long>& out, long long min, long long max) {
  auto* j = get(f);
  if (!j) return;
  if (j->is_null()) return out.reset();
  long long x = 0;
  if (integer_in(*j, f, min, max, x)) out = x;
}

void BodyReader::opt_integer(const char* f, std::optional<int>& out, long long min, long long max) {
  std::optional<long long> x;
  if (out) x = *out;
  opt_integer(f, x, min, max);
  if (x) out = static_cast<int>(*x);
  else out.reset();
}

void BodyReader::boolean(const char* f, bool& out) {
  auto* j = get(f);
  if (!j) return;
  if (!j->is_boolean()) return v_.add(f, "must be true or false");
  out = j->get<bool>();
}

void BodyReader::opt_boolean(const char* f, std::optional<bool>& out) {
  auto* j = get(f);
  if (!j) return;
  if (j->is_null()) return out.reset();
  if (!j->is_boolean()) return v_.add(f, "must be true or false");
  out = j->get<bool>();
}

void BodyReader::object(const char* f, json& out) {
  auto* j = get(f);
  if (!j) return;
  if (j->is_null()) return void(out = json::object());
  if (!j->is_object()) return v_.add(f, "must be an object");
  out = *j;
}

void BodyReader::uuid(const char* f, std::optional<std::optional<std::string>>& out) {
  auto* j = get(f);
  if (!j) return;
  if (j->is_null()) return void(out = std::optional<std::string>());
  if (!j->is_string() || !is_uuid(j->get_ref<const std::string&>())) return v_.add(f, "must be a UUID or null");
  auto id = j->get<std::string>();  // canonical (lower-case): ids are compared as text afterwards
  for (auto& ch : id) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  out = std::optional<std::string>(std::move(id));
}

void BodyReader::only(std::initializer_list<const char*> writable, std::initializer_list<const char*> read_only) {
  for (auto& [key, _] : body_.items()) {
    const std::string& k = key;  // a named reference: clang before 16 cannot capture a structured binding
    auto is = [&k](const char* n) { return k == n; };
    if (std::none_of(writable.begin(), writable.end(), is) && std::none_of(read_only.begin(), read_only.end(), is))
      v_.add(k, "unknown field");
  }
}

void BodyReader::immutable_id(const std::string& current) {
  auto* j = get("id");
  if (creating_ || !j) return;
  if (!j->is_string() || j->get_ref<const std::string&>() != current) v_.add("id", "cannot be changed");
}

}  // namespace netops::http
