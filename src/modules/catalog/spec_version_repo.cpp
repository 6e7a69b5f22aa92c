#include "modules/catalog/spec_version_repo.hpp"

namespace netops::catalog {

namespace {
constexpr const char* kDefColumns =
    "id, version_id, key, label, field_type, unit, required, enum_values, pattern, min_len, max_len, "
    "min_value::text AS min_value, max_value::text AS max_value, step_value::text AS step_value, precision, scale, "
    "default_value, help_text, sort_order, is_active, is_readonly, is_searchable, is_filterable";
// The writable columns, in the order params_of() adds them ($2…$22).
constexpr const char* kDefWritable[] = {
    "key",       "label",     "field_type", "unit",      "required",      "enum_values", "pattern",
    "min_len",   "max_len",   "min_value",  "max_value", "step_value",    "precision",   "scale",
    "default_value", "help_text", "sort_order", "is_active", "is_readonly", "is_searchable", "is_filterable"};
constexpr const char* kDefCasts[] = {"",        "",        "",         "",      "",      "::jsonb", "",
                                     "::int",   "::int",   "::numeric", "::numeric", "::numeric", "::int", "::int",
                                     "::jsonb", "",        "::int",    "",      "",      "",        ""};

std::string version_columns(const std::string& owner) {
  return "v.id, v." + owner + " AS owner_id, v.version, v.status, v.created_by, v.created_at";
}

SpecVersion version_from_row(const db::Row& r) {
  SpecVersion v;
  v.id = r.get<std::string>("id");
  v.owner_id = r.get<std::string>("owner_id");
  v.version = r.get<int>("version");
  v.status = r.get<std::string>("status");
  v.created_by = r.opt<std::string>("created_by");
  v.created_at = r.timestamp("created_at");
  v.def_count = r.get<std::int64_t>("def_count");
  return v;
}

specs::FieldDef def_from_row(const db::Row& r) {
  specs::FieldDef d;
  d.id = r.get<std::string>("id");
  d.key = r.get<std::string>("key");
  d.label = r.get<std::string>("label");
  d.field_type = r.get<std::string>("field_type");
  d.unit = r.opt<std::string>("unit");
  d.pattern = r.opt<std::string>("pattern");
  d.help_text = r.opt<std::string>("help_text");
  d.required = r.get<bool>("required");
  d.enum_values = r.json("enum_values");
  d.min_len = r.opt<std::int64_t>("min_len");
  d.max_len = r.opt<std::int64_t>("max_len");
  d.min_value = r.opt<std::string>("min_value");
  d.max_value = r.opt<std::string>("max_value");
  d.step_value = r.opt<std::string>("step_value");
  d.precision = r.opt<int>("precision");
  d.scale = r.opt<int>("scale");
  d.default_value = r.json("default_value");
  d.sort_order = r.get<int>("sort_order");
  d.is_active = r.get<bool>("is_active");
  d.is_readonly = r.get<bool>("is_readonly");
  d.is_searchable = r.get<bool>("is_searchable");
  d.is_filterable = r.get<bool>("is_filterable");
  return d;
}

void add_json(db::Params& p, const nlohmann::json& j) {
  if (j.is_null()) p.add(std::nullopt);
  else p.add(j);
}

db::Params params_of(const std::string& first, const specs::FieldDef& d) {
  db::Params p;
  p.add(first).add(d.key).add(d.label).add(d.field_type).add(d.unit).add(d.required);
  add_json(p, d.enum_values);
  p.add(d.pattern).add(d.min_len).add(d.max_len).add(d.min_value).add(d.max_value).add(d.step_value);
  p.add(d.precision).add(d.scale);
  add_json(p, d.default_value);
  p.add(d.help_text).add(d.sort_order).add(d.is_active).add(d.is_readonly).add(d.is_searchable).add(d.is_filterable);
  return p;
}

}  // namespace

SpecTables SpecVersionRepo::asset_categories() {
  return {"asset_category_spec_versions", "asset_category_spec_defs", "category_id", "asset_specs"};
}

SpecVersionRepo::SpecVersionRepo(db::Db& db, SpecTables t) : db_(db), t_(std::move(t)) {
  const auto cols = version_columns(t_.owner) + ", (SELECT count(*) FROM " + t_.defs +
                    " d WHERE d.version_id = v.id) AS def_count";
  const auto from = " FROM " + t_.versions + " v";
  list_ = make("versions", "SELECT " + cols + from + " WHERE v." + t_.owner + " = $1 ORDER BY v.version DESC");
  find_ = make("version", "SELECT " + cols + from + " WHERE v.id = $1");
  lock_ = make("version_lock", "SELECT " + cols + from + " WHERE v.id = $1 FOR UPDATE OF v");
  by_status_ = make("version_by_status",
                    "SELECT " + cols + from + " WHERE v." + t_.owner + " = $1 AND v.status = $2 ORDER BY v.version DESC LIMIT 1");
  create_ = make("version_create",
                 "INSERT INTO " + t_.versions + " AS v (" + t_.owner + ", version, status, created_by) SELECT $1, "
                 "COALESCE((SELECT max(version) FROM " + t_.versions + " WHERE " + t_.owner + " = $1), 0) + 1, $2, $3 "
                 "RETURNING " + version_columns(t_.owner) + ", 0::bigint AS def_count");
  std::string writable, casts;
  for (std::size_t i = 0; i < std::size(kDefWritable); ++i) {
    writable += std::string(i ? ", " : "") + kDefWritable[i];
    casts += std::string(i ? ", " : "") + "$" + std::to_string(i + 2) + kDefCasts[i];
  }
  copy_ = make("defs_copy", "INSERT INTO " + t_.defs + " (version_id, " + writable + ") SELECT $2, " + writable +
                                " FROM " + t_.defs + " WHERE version_id = $1");
  set_status_ = make("version_status", "UPDATE " + t_.versions + " SET status = $2 WHERE id = $1");
  delete_version_ = make("version_delete", "DELETE FROM " + t_.versions + " WHERE id = $1");
  defs_ = make("defs", std::string("SELECT ") + kDefColumns + " FROM " + t_.defs +
                           " WHERE version_id = $1 ORDER BY sort_order, key");
  def_ = make("def", std::string("SELECT ") + kDefColumns + " FROM " + t_.defs + " WHERE id = $1");
  insert_def_ = make("def_insert", "INSERT INTO " + t_.defs + " (version_id, " + writable + ") VALUES ($1::uuid, " +
                                       casts + ") RETURNING " + kDefColumns);
  std::string sets;
  for (std::size_t i = 0; i < std::size(kDefWritable); ++i)
    sets += std::string(i ? ", " : "") + kDefWritable[i] + " = $" + std::to_string(i + 2) + kDefCasts[i];
  update_def_ = make("def_update", "UPDATE " + t_.defs + " SET " + sets + " WHERE id = $1 RETURNING " + kDefColumns);
  delete_def_ = make("def_delete", "DELETE FROM " + t_.defs + " WHERE id = $1");
  std::string prefixed;  // kDefColumns qualified with d.
  for (std::string_view rest = kDefColumns; !rest.empty();) {
    auto comma = rest.find(", ");
    auto col = rest.substr(0, comma);
    prefixed += std::string(prefixed.empty() ? "" : ", ") + "d." + std::string(col);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  filterable_ = make("filterable", "SELECT " + prefixed + " FROM " + t_.defs + " d JOIN " + t_.versions +
                                       " v ON v.id = d.version_id WHERE v.status = 'active' AND d.key = $1 AND "
                                       "d.is_filterable AND d.is_active AND ($2::uuid IS NULL OR v." + t_.owner + " = $2::uuid)");
}

Task<std::vector<SpecVersion>> SpecVersionRepo::versions(const std::string& owner_id) {
  auto rows = co_await db_.query(list_.query(), db::Params(owner_id));
  std::vector<SpecVersion> out;
  for (auto r : rows) out.push_back(version_from_row(r));
  co_return out;
}

Task<std::optional<SpecVersion>> SpecVersionRepo::version(const std::string& id, db::Tx* tx, bool lock) {
  db::Result r;
  if (tx) r = co_await tx->query(lock ? lock_.query() : find_.query(), db::Params(id));
  else r = co_await db_.query(find_.query(), db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return version_from_row(r.front());
}

Task<std::optional<SpecVersion>> SpecVersionRepo::with_status(db::Tx& tx, const std::string& owner_id,
                                                        const std::string& status) {
  auto r = co_await tx.query(by_status_.query(), db::Params(owner_id, status));
  if (r.empty()) co_return std::nullopt;
  co_return version_from_row(r.front());
}

Task<SpecVersion> SpecVersionRepo::create_version(db::Tx& tx, const std::string& owner_id, const std::string& status,
                                            const std::optional<std::string>& created_by) {
  auto r = co_await tx.query(create_.query(), db::Params(owner_id, status, created_by));
  co_return version_from_row(r.front());
}

Task<long long> SpecVersionRepo::copy_defs(db::Tx& tx, const std::string& from_version, const std::string& to_version) {
  auto r = co_await tx.query(copy_.query(), db::Params(from_version, to_version));
  co_return r.affected();
}

Task<void> SpecVersionRepo::set_status(db::Tx& tx, const std::string& version_id, const std::string& status) {
  co_await tx.query(set_status_.query(), db::Params(version_id, status));
}

Task<void> SpecVersionRepo::delete_version(db::Tx& tx, const std::string& version_id) {
  co_await tx.query(delete_version_.query(), db::Params(version_id));
}

Task<std::vector<specs::FieldDef>> SpecVersionRepo::defs(const std::string& version_id, db::Tx* tx) {
  db::Result rows;
  if (tx) rows = co_await tx->query(defs_.query(), db::Params(version_id));
  else rows = co_await db_.query(defs_.query(), db::Params(version_id));
  std::vector<specs::FieldDef> out;
  for (auto r : rows) out.push_back(def_from_row(r));
  co_return out;
}

Task<std::optional<std::pair<specs::FieldDef, std::string>>> SpecVersionRepo::def(const std::string& id, db::Tx* tx) {
  db::Result r;
  if (tx) r = co_await tx->query(def_.query(), db::Params(id));
  else r = co_await db_.query(def_.query(), db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return std::make_pair(def_from_row(r.front()), r.front().get<std::string>("version_id"));
}

Task<specs::FieldDef> SpecVersionRepo::insert_def(db::Tx& tx, const std::string& version_id, const specs::FieldDef& d) {
  auto r = co_await tx.query(insert_def_.query(), params_of(version_id, d));
  co_return def_from_row(r.front());
}

Task<specs::FieldDef> SpecVersionRepo::update_def(db::Tx& tx, const std::string& id, const specs::FieldDef& d) {
  auto r = co_await tx.query(update_def_.query(), params_of(id, d));
  co_return def_from_row(r.front());
}

Task<void> SpecVersionRepo::delete_def(db::Tx& tx, const std::string& id) {
  co_await tx.query(delete_def_.query(), db::Params(id));
}

Task<std::vector<specs::FieldDef>> SpecVersionRepo::active_filterable(const std::string& key,
                                                                const std::optional<std::string>& owner) {
  auto rows = co_await db_.query(filterable_.query(), db::Params(key, owner));
  std::vector<specs::FieldDef> out;
  for (auto r : rows) out.push_back(def_from_row(r));
  co_return out;
}

}  // namespace netops::catalog
