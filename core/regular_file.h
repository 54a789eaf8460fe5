// Opening input files safely: only regular files are read. A FIFO given as a split or image would
// block open() or read() forever, /dev/zero would never end, and a directory reads as an empty
// file; each is refused with a message instead. The check opens with O_NONBLOCK and looks at the
// opened file (fstat), so there is no window between checking and reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace imaxbench {

class RegularFile {
 public:
  // Throws Error "PATH: cannot open WHAT: <why>" when the path is missing, unreadable or not a
  // regular file. `what` says what the file is for ("split file", "image").
  RegularFile(const std::string& path, std::string_view what);
  // Nullable form: sets `problem` instead of throwing (and is_open() is false).
  RegularFile(const std::string& path, std::string_view what, std::string& problem);
  ~RegularFile();
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;

  bool is_open() const { return fd_ >= 0; }
  std::uint64_t size() const { return size_; }
  // Up to `n` bytes; fewer only at the end of the file. Throws Error on a read error.
  std::size_t read(void* buffer, std::size_t n);
  // Up to `n` bytes at `offset`, leaving the read position alone; fewer at the end of the file.
  // Never throws (image libraries call it from C callbacks): an I/O error reads as the end.
  std::size_t read_at(std::uint64_t offset, void* buffer, std::size_t n) noexcept;
  // The rest of the file; throws Error when it is larger than `max_bytes`.
  std::string read_all(std::uint64_t max_bytes = UINT64_MAX);

 private:
  std::string open_problem(std::string_view what);
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// The whole content of a regular file (see RegularFile); throws Error naming the path.
std::string read_regular_file(const std::string& path, std::string_view what);

}  // namespace imaxbench
