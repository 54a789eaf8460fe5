#include "harness/run_dir_lock.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/error.h"
#include "core/excerpt.h"

namespace imaxbench {

namespace {

// What the lock file says about its writer: "pid host started-at".
std::string read_holder(int fd) {
  char buf[256];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  std::string text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return excerpt(text);
}

std::string describe_self() {
  char host[256] = "?";
  ::gethostname(host, sizeof host - 1);
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return "pid " + std::to_string(::getpid()) + " on " + host + " since " + date + "\n";
}

}  // namespace

RunDirLock::RunDirLock(const std::string& dir, std::ostream& notes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir + ": cannot create the output folder: " + ec.message());
  const std::string path = (fs::path(dir) / kFileName).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0) throw Error(path + ": cannot create the run folder's lock file: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = read_holder(fd_);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw Error(dir + " is in use by another imaxbench process (" +
                  (holder.empty() ? std::string("holder unknown") : holder) +
                  "); two writers would mix their journals. Wait for it to end, or stop it and "
                  "pass --resume");
    throw Error(path + ": cannot lock the run folder: " + std::strerror(err));
  }
  // A lock file with content was left by a process that ended without cleaning up (killed): the
  // kernel released its lock, so the folder is ours; say so, since its journal may end torn.
  const std::string stale = read_holder(fd_);
  if (!stale.empty()) notes << "note: " << dir << ": took over the lock of an earlier process that is gone (" << stale << ")\n";
  const std::string me = describe_self();
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size()))
    notes << "note: " << path << ": could not write this process into the lock file\n";
}

RunDirLock::~RunDirLock() {
  if (fd_ < 0) return;
  // Emptied, not removed: removing it would let a process that opened the old file and one that
  // creates a new one both hold "the" lock.
  if (::ftruncate(fd_, 0) != 0) { /* a stale description only costs a note next time */ }
  ::close(fd_);
}

}  // namespace imaxbench
