#pragma once
// Attachment files under NETOPS_STORAGE_DIR. A file's name is a random storage key (a UUID), never the
// client's file name, sharded as ab/cd/<key> so no directory grows huge. Writes go to a temp file,
// fsync, rename, fsync of the directory: a crash leaves either the whole file or none.
// Every call does blocking file I/O: run it through ctx.blocking.
#include <string>
#include <string_view>

namespace netops {

// A whole file mapped read-only (the spooled body of an upload): parsed and copied without holding the
// upload on the heap. Throws std::runtime_error when the file cannot be opened or mapped.
class MappedFile {
 public:
  MappedFile() = default;
  explicit MappedFile(const std::string& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

class FileStore {
 public:
  explicit FileStore(std::string root) : root_(std::move(root)) {}
  // Stores bytes under a new key and returns the key. Throws std::runtime_error on I/O failure.
  std::string put(std::string_view bytes) const;
  // The file's bytes; throws NotFound when it is missing.
  std::string read(const std::string& key) const;
  // Removes the file; false when it was not there. Never throws.
  bool remove(const std::string& key) const noexcept;
  bool exists(const std::string& key) const;
  std::string path_of(const std::string& key) const;  // throws unless key is a storage key (UUID)
  // Where uploads are spooled while they arrive (RouteSpec::body_to_file): <root>/.spool
  std::string spool_dir() const { return root_ + "/.spool"; }

 private:
  std::string root_;
};

}  // namespace netops
