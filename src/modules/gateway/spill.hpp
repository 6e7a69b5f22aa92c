#pragma once
// Usage records that cannot reach the database when the process stops (PostgreSQL down at shutdown) are
// not lost: flush() writes them to a JSON-lines file in the spill directory (NETOPS_ACCOUNTING_SPILL_DIR,
// default NETOPS_STORAGE_DIR/accounting-spill), and the next start replays the files. A file is written
// as <name>.tmp, synced, then renamed to <name>.jsonl, so a replay never sees half a file; it is deleted
// only after its records committed, in the same transaction as a row naming it in accounting_spill_files,
// so a file is replayed exactly once even if the process dies between the commit and the delete.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/gateway/accounting.hpp"

namespace netops::gateway::spill {

std::string to_line(const UsageRecord& r);                        // one JSON object, no newline
std::optional<UsageRecord> from_line(std::string_view line);      // nullopt when it is not a record
// Writes the records to a new file in dir (created if missing); returns its path. Throws
// std::runtime_error on any I/O failure.
std::string write_file(const std::string& dir, const std::vector<UsageRecord>& records);
// The *.jsonl files of dir, oldest name first ([] when dir does not exist).
std::vector<std::string> files(const std::string& dir);
// The bytes the *.jsonl files of dir hold (0 when dir does not exist).
std::uint64_t bytes(const std::string& dir);
// The records of one file; `bad` counts lines that are not records.
std::vector<UsageRecord> read_file(const std::string& path, std::size_t& bad);

}  // namespace netops::gateway::spill
