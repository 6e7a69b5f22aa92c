#pragma once
// SQL of stock documents and their lines. Nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/warehouse/types.hpp"

namespace netops::warehouse {

struct NewDocument {
  std::string doc_type;
  std::optional<std::string> code, warehouse_id, target_warehouse_id, doc_date, note, ref_type, ref_id, reversal_of_id;
  std::string created_by, correlation_id;
};

// A document created and posted in one statement (DocumentRepo::insert_posted).
struct MadePosted {
  Document document;                // as posted
  std::vector<DocLine> lines;       // as stored (unit costs rounded by the column)
  nlohmann::json lines_json;        // the API representation of the lines
};

class DocumentRepo {
 public:
  explicit DocumentRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Document>> list(const DocumentFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Document>> find(const std::string& id);
  Task<std::optional<Document>> lock(db::Tx& tx, const std::string& id);  // FOR UPDATE
  Task<std::vector<DocLine>> lines(db::Tx& tx, const std::string& id);
  Task<nlohmann::json> lines_json(const std::string& id);
  Task<nlohmann::json> lines_json(db::Tx& tx, const std::string& id);
  Task<Document> insert(db::Tx& tx, const NewDocument& d);  // code from stock_document_seq unless given
  // The document, already posted (status, approved_by, posted_at), and its lines in one statement.
  Task<MadePosted> insert_posted(db::Tx& tx, const NewDocument& d, const std::vector<LineInput>& lines,
                                 const std::string& approved_by);
  Task<Document> update(db::Tx& tx, const std::string& id, const DocumentInput& in);
  // fresh: the document is new (nothing to delete first).
  Task<void> replace_lines(db::Tx& tx, const std::string& id, const std::vector<LineInput>& lines,
                           bool fresh = false);
  Task<nlohmann::json> add_line(db::Tx& tx, const std::string& id, const LineInput& line);
  Task<std::optional<nlohmann::json>> update_line(db::Tx& tx, const std::string& id, const std::string& line_id,
                                                  const LineInput& line);
  Task<bool> delete_line(db::Tx& tx, const std::string& id, const std::string& line_id);
  Task<void> copy_lines_reversed(db::Tx& tx, const std::string& from, const std::string& to);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<Document> set_status(db::Tx& tx, const std::string& id, const std::string& status,
                            const std::optional<std::string>& approved_by);
  Task<void> set_reversed_by(db::Tx& tx, const std::string& id, const std::string& reversal_id);
  Task<void> touch(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::warehouse
