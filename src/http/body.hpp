#pragma once
// Request bodies → typed inputs, in routes (CONVENTIONS: services never see JSON bodies). One reader for
// every module: each call reads one optional field into a member of the module's input struct, absent
// fields leave the member alone (the same parse serves create and partial update), and every problem goes
// into one Validation so the caller sees all of them at once (400 VALIDATION_ERROR with details).
//
//   Validation v;
//   http::BodyReader b(req.json(), v, /*creating=*/true);
//   b.text("name", in.name, 200);            // required on create
//   b.opt_text("description", in.description, 2000);
//   b.one_of("status", in.status, {"active", "retired"}, false);
//   b.only({"name", "description", "status"}, {"id", "createdAt"});   // unknown fields refused
//   v.throw_if_any();
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace netops::http {

class BodyReader {
 public:
  BodyReader(const nlohmann::json& body, Validation& v, bool creating = false)
      : body_(body), creating_(creating), v_(v) {}

  const nlohmann::json* get(const char* f) const;
  bool has(const char* f) const { return get(f) != nullptr; }
  void missing(const char* f);  // "is required" when creating
  Validation& validation() { return v_; }

  // Required on create, never null or empty; at most max characters.
  void text(const char* f, std::string& out, std::size_t max);
  // null or "" clears; otherwise a string of at most max characters.
  void opt_text(const char* f, std::optional<std::string>& out, std::size_t max);
  // Present → must be a string (any length, may be empty); null → nullopt. For inputs whose rules the
  // service checks (passwords, emails).
  void string(const char* f, std::optional<std::string>& out);
  void one_of(const char* f, std::string& out, std::initializer_list<const char*> allowed, bool required);
  void opt_one_of(const char* f, std::optional<std::string>& out, std::initializer_list<const char*> allowed);
  void integer(const char* f, int& out, long long min, long long max, bool required);
  void integer(const char* f, long long& out, long long min, long long max, bool required);
  void opt_integer(const char* f, std::optional<int>& out, long long min, long long max);
  void opt_integer(const char* f, std::optional<long long>& out, long long min, long long max);
  void boolean(const char* f, bool& out);
  void opt_boolean(const char* f, std::optional<bool>& out);  // null → nullopt
  void object(const char* f, nlohmann::json& out);            // null → {}
  // A UUID: absent → out untouched; null → optional holding nullopt (clears); else the canonical form.
  void uuid(const char* f, std::optional<std::optional<std::string>>& out);
  // Everything else must be a known field; read-only fields of the API shape are ignored, so a client may
  // send back what it got from GET.
  void only(std::initializer_list<const char*> writable, std::initializer_list<const char*> read_only = {});
  // On update, "id" may be present only with the current value.
  void immutable_id(const std::string& current);

 private:
  bool integer_in(const nlohmann::json& j, const std::string& f, long long min, long long max, long long& out);
  const nlohmann::json& body_;
  bool creating_;
  Validation& v_;
};

}  // namespace netops::http
