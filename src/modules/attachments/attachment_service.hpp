#pragma once
// Generic attachments (table `attachments`) of repair orders and stock documents: the same upload path as
// asset attachments (kit/upload.hpp → NETOPS_STORAGE_DIR under a random key, MIME sniffed, SHA-256 kept),
// versioned per object and file name, an ops_events row on the object for every upload and delete.
// The file is written before the row; a failed insert removes it again.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/caller.hpp"
#include "db/page.hpp"
#include "db/where.hpp"
#include "kit/context.hpp"
#include "kit/file_store.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::attachments {

struct Download {
  std::string file_name, mime_type, bytes;
};

// entity type → "does this object exist" (404 otherwise), answered by the owning module's service.
using Exists = std::function<Task<void>(const std::string& id)>;

class AttachmentService {
 public:
  AttachmentService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops, std::size_t limit)
      : ctx_(ctx), ops_(std::move(ops)), files_(ctx.config.storage_dir), limit_(limit) {}

  Task<nlohmann::json> upload(const std::string& entity_type, const std::string& entity_id,
                              std::string_view content_type, const std::string& body, const std::string& body_file,
                              const Caller& by);
  Task<db::Page<nlohmann::json>> list(const std::string& entity_type, const std::string& entity_id,
                                      const db::PageRequest& p);
  Task<Download> download(const std::string& entity_type, const std::string& entity_id, const std::string& id);
  Task<void> remove(const std::string& entity_type, const std::string& entity_id, const std::string& id,
                    const Caller& by);
  std::size_t limit() const { return limit_; }
  std::string spool_dir() const { return files_.spool_dir(); }

 private:
  AppContext& ctx_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
  FileStore files_;
  std::size_t limit_;
};

}  // namespace netops::attachments
