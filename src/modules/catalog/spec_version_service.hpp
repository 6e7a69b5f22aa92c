#pragma once
// The one lifecycle of versioned spec schemas (SPEC §4.4, §4.6), used by asset categories and by CMDB CI
// types: draft → active → retired, one active per owner (partial unique index), definitions editable only
// in a draft, publish retires the previous active version in the same transaction and reports the subjects
// (asset models, CIs) that do not satisfy the new schema. Every change writes one record (an audit row for
// the catalog, an ops event for the CMDB) in its transaction.
//
// What differs between owners is data (SpecOwner): the tables, the wording, how to lock an owner, which
// subjects are validated against its schema and how a change is recorded. The catalog builds its owner with
// category_spec_owner(); the CMDB builds one for CI types.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/spec_version_repo.hpp"

namespace netops::catalog {

// A thing validated against an owner's schema: an asset model of a category, a CI of a type.
struct SpecSubject {
  std::string id;
  nlohmann::json identity = nlohmann::json::object();  // {"model","brand"} / {"ciCode","name"}
  nlohmann::json values = nlohmann::json::object();
  std::optional<std::string> version_id;                // the version it was validated against
};

struct SpecChange {
  std::string kind;      // "version" or "def"
  std::string action;    // "spec_version.created", "spec_def.updated", …
  std::string id;        // the version's or definition's id
  std::string owner_id;  // the category / type
  nlohmann::json details;
};

struct SpecOwner {
  SpecTables tables;
  std::string noun;                 // "asset category", "CI type" (404 wording)
  std::string owner_key;            // "categoryId", "typeId": the owner attribute of a version
  std::string subjects;             // "Models", "Cis": checked<…> and nonConforming<…> in a publish report
  std::string subject_version_key;  // "specVersionId", "versionId"
  std::string drafts_path;          // where drafts are created; "{id}" is the owner's id (409 hint)
  std::function<Task<bool>(const std::string&)> exists;
  // Locks the owner's row (serialises version numbering); false when there is no such owner.
  std::function<Task<bool>(db::Tx&, const std::string&)> lock_owner;
  // The subjects validated against the owner's schema.
  std::function<Task<std::vector<SpecSubject>>(db::Tx&, const std::string&)> subjects_of;
  // Writes the change's record inside the transaction.
  std::function<Task<void>(db::Tx&, const Caller&, const SpecChange&)> record;
};

// The catalog's owner: asset categories, their models, audit rows "asset_spec_version:<id>".
SpecOwner category_spec_owner(db::Db& db, std::shared_ptr<audit::AuditService> audit);

struct NonConforming {
  SpecSubject subject;
  std::vector<specs::Issue> errors;
};
// What a publish did: the version now active, the one it retired, and the subjects that fail the new schema
// (they keep the version they were validated against).
struct SpecPublish {
  SpecVersion version;
  std::optional<std::string> retired_version_id;
  std::size_t checked = 0;
  std::vector<NonConforming> non_conforming;
};

class SpecVersionService {
 public:
  SpecVersionService(AppContext& ctx, SpecOwner owner) : ctx_(ctx), owner_(std::move(owner)), repo_(ctx.db, owner_.tables) {}
  // Asset categories (the catalog's module.cpp).
  SpecVersionService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit)
      : SpecVersionService(ctx, category_spec_owner(ctx.db, std::move(audit))) {}

  const SpecOwner& owner() const { return owner_; }
  SpecVersionRepo& repo() { return repo_; }

  Task<std::vector<SpecVersion>> versions(const std::string& owner_id);  // newest first
  Task<SpecVersionDetail> version(const std::string& id);               // with its definitions
  // A new draft copying the active version's definitions; 409 while a draft exists.
  Task<SpecDraft> create_draft(const std::string& owner_id, const Caller& by);
  Task<void> delete_draft(const std::string& id, const Caller& by);
  // Retires the active version and activates the draft; reports the subjects that do not satisfy it.
  Task<SpecPublish> publish(const std::string& id, const Caller& by);

  Task<std::vector<SpecDef>> defs(const std::string& version_id);
  Task<SpecDef> add_def(const std::string& version_id, const specs::FieldDef& def, const Caller& by);
  Task<SpecDef> update_def(const std::string& id, const SpecDefPatch& patch, const Caller& by);
  Task<void> delete_def(const std::string& id, const Caller& by);

  // Version 1 of a new owner (in the owner's creating transaction): active with `defs` when there are
  // any (400 listing every definition error, keyed "defs[i].<attr>"), else an empty draft.
  Task<SpecVersion> create_first(db::Tx& tx, const std::string& owner_id, const std::vector<specs::FieldDef>& defs,
                                 const Caller& by);

  // API shapes (the owner's attribute names).
  nlohmann::json to_json(const SpecVersion& v) const;
  nlohmann::json to_json(const SpecVersionDetail& d) const;
  nlohmann::json to_json(const SpecDraft& d) const;
  nlohmann::json to_json(const SpecPublish& r) const;

 private:
  Task<SpecVersion> lock_draft(db::Tx& tx, const std::string& version_id);  // 404, or 409 unless draft

  AppContext& ctx_;
  SpecOwner owner_;
  SpecVersionRepo repo_;
};

// The HTTP shape of one owner's lifecycle (catalog: spec versions; CMDB: type versions).
struct SpecRoutes {
  std::vector<std::string> owner_bases;  // "/api/v1/asset-categories/{id}/spec-versions": GET list, POST draft
  std::string versions;                  // "/api/v1/spec-versions": /{id}, /{id}/publish, /{id}/defs
  std::string defs;                      // "/api/v1/spec-defs": PUT/DELETE /{id}
  std::string tag;                       // OpenAPI tag
};
void register_spec_routes(AppContext& ctx, std::shared_ptr<SpecVersionService> svc, const SpecRoutes& routes);

}  // namespace netops::catalog
