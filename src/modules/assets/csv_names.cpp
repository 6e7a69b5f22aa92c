#include "modules/assets/csv_names.hpp"

#include <cctype>

#include "core/ids.hpp"

namespace netops::assets {

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

void CsvNames::Names::add(const std::string& id, const std::string& name) {
  name_of[id] = name;
  by_name[name].push_back(id);
  by_lower[lower(name)].push_back(id);
}

void CsvNames::add_model(std::string id, std::string name, nlohmann::json spec) {
  models_.add(id, name);
  specs_[id] = std::move(spec);
}

void CsvNames::add_vendor(std::string id, std::string name) { vendors_.add(id, name); }

void CsvNames::add_location(std::string id, std::string name, std::string path) {
  raw_locations_[std::move(id)] = {std::move(name), std::move(path)};
}

void CsvNames::finish() {
  // Name paths from id paths; an id missing from the snapshot (a concurrent change) keeps its id text.
  for (auto& [id, np] : raw_locations_) {
    auto& [name, path] = np;
    std::string names;
    std::size_t start = 1;
    while (start < path.size()) {
      auto end = path.find('/', start);
      if (end == std::string::npos) break;
      auto part = path.substr(start, end - start);
      auto it = raw_locations_.find(part);
      names += (names.empty() ? "" : "/") + (it == raw_locations_.end() ? part : it->second.first);
      start = end + 1;
    }
    if (names.empty()) names = name;  // path not maintained ('/'): the name alone
    locations_.add(id, names);
    location_by_name_[name].push_back(id);
  }
}

Resolved CsvNames::resolve(const Names& n, const std::string& text, const char* what) {
  if (is_uuid(text)) {
    auto id = lower(text);
    if (n.name_of.count(id)) return {id, ""};
    return {std::nullopt, std::string("no ") + what + " has id " + text};
  }
  for (auto* index : {&n.by_name, &n.by_lower}) {
    auto it = index->find(index == &n.by_name ? text : lower(text));
    if (it == index->end()) continue;
    if (it->second.size() == 1) return {it->second.front(), ""};
    return {std::nullopt, std::to_string(it->second.size()) + " " + what + "s are named \"" + text + "\"; use the id"};
  }
  return {std::nullopt, std::string("unknown ") + what + " \"" + text + "\""};
}

Resolved CsvNames::model(const std::string& text) const { return resolve(models_, text, "model"); }
Resolved CsvNames::vendor(const std::string& text) const { return resolve(vendors_, text, "vendor"); }

Resolved CsvNames::location(const std::string& text) const {
  auto by_path = resolve(locations_, text, "location");
  if (by_path.id || is_uuid(text)) return by_path;
  // Not a full path: a location name that is unique across the tree.
  auto it = location_by_name_.find(text);
  if (it == location_by_name_.end()) return by_path;
  if (it->second.size() == 1) return {it->second.front(), ""};
  return {std::nullopt, std::to_string(it->second.size()) + " locations are named \"" + text +
                            "\"; use the path (e.g. \"Site/Building/" + text + "\") or the id"};
}

std::string CsvNames::text_of(const Names& n, const std::string& id) {
  auto it = n.name_of.find(id);
  if (it == n.name_of.end() || is_uuid(it->second)) return id;
  // Written as the name only when the import's first lookup (the exact name) finds this row alone.
  auto exact = n.by_name.find(it->second);
  return exact != n.by_name.end() && exact->second.size() == 1 ? it->second : id;
}

std::string CsvNames::model_text(const std::string& id) const { return text_of(models_, id); }
std::string CsvNames::vendor_text(const std::string& id) const { return text_of(vendors_, id); }
std::string CsvNames::location_text(const std::string& id) const { return text_of(locations_, id); }

const nlohmann::json* CsvNames::model_spec(const std::string& id) const {
  auto it = specs_.find(id);
  return it == specs_.end() ? nullptr : &it->second;
}

std::string CsvNames::model_name(const std::string& id) const {
  auto it = models_.name_of.find(id);
  return it == models_.name_of.end() ? id : it->second;
}

}  // namespace netops::assets
