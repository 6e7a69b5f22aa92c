#pragma once
// A snapshot of the reference tables a CSV file names by text: asset models (by model name), vendors
// (by name) and locations (by path of names "Site 1/Building 2/Floor 3" or a unique name). The import
// resolves text → id with it and the export id → text, using the same rules, so whatever the export
// writes re-imports to the same row: a name that would not resolve back uniquely is written as the id.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace netops::assets {

struct Resolved {
  std::optional<std::string> id;  // set when resolved
  std::string error;              // why not, when not
};

class CsvNames {
 public:
  void add_model(std::string id, std::string name, nlohmann::json spec);
  void add_vendor(std::string id, std::string name);
  // path: '/<ancestor ids>/<own id>/' as the locations table keeps it. Call finish() after the last one.
  void add_location(std::string id, std::string name, std::string path);
  void finish();

  Resolved model(const std::string& text) const;
  Resolved vendor(const std::string& text) const;
  Resolved location(const std::string& text) const;
  // The CSV text for an id (name or name path when it resolves back uniquely, else the id itself).
  std::string model_text(const std::string& id) const;
  std::string vendor_text(const std::string& id) const;
  std::string location_text(const std::string& id) const;
  const nlohmann::json* model_spec(const std::string& id) const;  // nullptr when unknown
  std::string model_name(const std::string& id) const;

 private:
  struct Names {
    std::unordered_map<std::string, std::string> name_of;                // id → name
    std::unordered_map<std::string, std::vector<std::string>> by_name;   // name → ids
    std::unordered_map<std::string, std::vector<std::string>> by_lower;  // lower(name) → ids
    void add(const std::string& id, const std::string& name);
  };
  static Resolved resolve(const Names& n, const std::string& text, const char* what);
  static std::string text_of(const Names& n, const std::string& id);

  Names models_, vendors_, locations_;  // locations_ is keyed by name path
  std::unordered_map<std::string, std::vector<std::string>> location_by_name_;
  std::unordered_map<std::string, nlohmann::json> specs_;
  std::unordered_map<std::string, std::pair<std::string, std::string>> raw_locations_;  // id → (name, path)
};

}  // namespace netops::assets
