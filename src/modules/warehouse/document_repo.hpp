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

// What warehouse_post_batch (migration 0017) answers for one document of a batch.
struct BatchOutcome {
  std::optional<nlohmann::json> document;  // posted: the API representation with its lines
  nlohmann::json shorts;                   // refused for a shortfall: one object per short effect (else null)
  bool missing = false;                    // refused: a warehouse or part no longer exists
  std::optional<std::string> error;        // refused for another reason (SQLSTATE and message)
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
  // One document of a batch, as warehouse_post_batch reads it (effects without the document id).
  static nlohmann::json batch_entry(const NewDocument& d, const std::vector<LineInput>& lines,
                                    const std::string& approved_by, const std::optional<std::string>& actor,
                                    nlohmann::json effects);
  // Creates and posts every document of `docs` in ONE statement — its own transaction, outside any other —
  // each under its own subtransaction; one outcome per document, in order.
  Task<std::vector<BatchOutcome>> post_batch(const nlohmann::json& docs);
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
