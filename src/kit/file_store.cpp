#include "kit/file_store.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace netops {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void io_error(const std::string& what) {
  throw std::runtime_error("storage: " + what + ": " + std::strerror(errno));
}

void fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) io_error("open directory " + dir.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) io_error("fsync directory " + dir.string());
}
}  // namespace

MappedFile::MappedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) io_error("open " + path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    io_error("stat " + path);
  }
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ > 0) {
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data_ == MAP_FAILED) {
      data_ = nullptr;
      ::close(fd);
      io_error("mmap " + path);
    }
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

std::string FileStore::path_of(const std::string& key) const {
  if (!is_uuid(key)) throw std::runtime_error("storage: not a storage key");
  return (fs::path(root_) / key.substr(0, 2) / key.substr(2, 2) / key).string();
}

std::string FileStore::put(std::string_view bytes) const {
  std::string key = new_uuid();
  fs::path final_path = path_of(key);
  fs::path dir = final_path.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("storage: create " + dir.string() + ": " + ec.message());
  fs::path tmp = dir / ("." + key + ".tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) io_error("create " + tmp.string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      errno = saved;
      io_error("write " + tmp.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    io_error("fsync " + tmp.string());
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    io_error("rename " + tmp.string());
  }
  fsync_dir(dir);
  return key;
}

std::string FileStore::read(const std::string& key) const {
  auto path = path_of(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) throw NotFound("attachment file");
    io_error("open " + path);
  }
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      ::close(fd);
      errno = saved;
      io_error("read " + path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

bool FileStore::remove(const std::string& key) const noexcept {
  try {
    return ::unlink(path_of(key).c_str()) == 0;
  } catch (...) {
    return false;
  }
}

bool FileStore::exists(const std::string& key) const {
  std::error_code ec;
  return fs::exists(path_of(key), ec);
}

}  // namespace netops
