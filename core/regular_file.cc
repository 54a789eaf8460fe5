#include "core/regular_file.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

namespace imaxbench {

namespace {

const char* file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::string RegularFile::open_problem(std::string_view what) {
  const std::string cannot = "cannot open " + std::string(what) + ": ";
  if (path_.find('\0') != std::string::npos) return cannot + "the path contains a NUL byte";
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    if (err == ENOENT) return cannot + "file not found";
    return cannot + std::strerror(err);
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return cannot + std::strerror(errno);
  if (!S_ISREG(st.st_mode))
    return cannot + "it is " + file_type_name(st.st_mode) + ", not a regular file";
  // Regular files never block; clear the flag so reads behave normally.
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  size_ = static_cast<std::uint64_t>(st.st_size);
  return {};
}

RegularFile::RegularFile(const std::string& path, std::string_view what) : path_(path) {
  const std::string problem = open_problem(what);
  if (!problem.empty()) {
    if (fd_ >= 0) ::close(fd_);
    throw Error(path + ": " + problem);
  }
}

RegularFile::RegularFile(const std::string& path, std::string_view what, std::string& problem)
    : path_(path) {
  problem = open_problem(what);
  if (!problem.empty() && fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t RegularFile::read(void* buffer, std::size_t n) {
  auto* out = static_cast<char*>(buffer);
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd_, out + got, n - got);
    if (r == 0) break;
    if (r < 0) {
      if (errno == EINTR) continue;
      throw Error(path_ + ": read failed: " + std::strerror(errno));
    }
    got += static_cast<std::size_t>(r);
  }
  return got;
}

std::size_t RegularFile::read_at(std::uint64_t offset, void* buffer, std::size_t n) noexcept {
  auto* out = static_cast<char*>(buffer);
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
    if (r == 0 || (r < 0 && errno != EINTR)) break;
    if (r > 0) got += static_cast<std::size_t>(r);
  }
  return got;
}

std::string RegularFile::read_all(std::uint64_t max_bytes) {
  if (size_ > max_bytes)
    throw Error(path_ + ": file is " + std::to_string(size_) + " bytes, more than the limit of " +
                std::to_string(max_bytes));
  std::string data;
  data.resize(static_cast<std::size_t>(size_));
  std::size_t got = read(data.data(), data.size());
  data.resize(got);
  // The file may have grown since fstat (a journal being appended): read what is there now.
  char chunk[1 << 16];
  while (std::size_t n = read(chunk, sizeof chunk)) {
    if (data.size() + n > max_bytes)
      throw Error(path_ + ": file grew past the limit of " + std::to_string(max_bytes) + " bytes");
    data.append(chunk, n);
  }
  return data;
}

std::string read_regular_file(const std::string& path, std::string_view what) {
  RegularFile file(path, what);
  return file.read_all();
}

}  // namespace imaxbench
