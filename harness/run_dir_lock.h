// One writer per run folder. Two processes appending to one journal duplicate its ids (a
// `--resume` started while the first run is still alive), after which `merge` refuses the folder.
// `run` and `merge` hold DIR/.imaxbench.lock with flock() for their whole life; the kernel drops
// the lock when the process dies, however it dies, so a killed run never leaves the folder locked.
#pragma once

#include <ostream>
#include <string>

namespace imaxbench {

class RunDirLock {
 public:
  // Creates `dir` when missing and takes its lock. Throws Error naming the holder (pid, host,
  // start time) when another live process holds it. The lock file of a process that is gone is
  // taken over, with a note on `notes`.
  RunDirLock(const std::string& dir, std::ostream& notes);
  ~RunDirLock();
  RunDirLock(const RunDirLock&) = delete;
  RunDirLock& operator=(const RunDirLock&) = delete;

  static constexpr const char* kFileName = ".imaxbench.lock";

 private:
  int fd_ = -1;
};

}  // namespace imaxbench
