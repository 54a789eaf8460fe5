// Helpers shared by the fuzz targets: the readers under test take a file path, so the input goes
// into one in-memory file per process (memfd), reached as /proc/self/fd/N; and a few ways to cut
// the input into parts without losing any of it.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace imaxbench::fuzz {

// One in-memory file, rewritten for every input. The readers open it by path (a new open file
// description, offset 0), so nothing carries over from the previous input.
class MemFile {
 public:
  explicit MemFile(const char* name) {
    fd_ = memfd_create(name, 0);
    if (fd_ < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    if (ftruncate(fd_, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
      ssize_t n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    return path_;
  }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Takes the first byte as a selector (0 when the input is empty) and leaves the rest.
inline unsigned take_byte(const std::uint8_t*& data, std::size_t& size) {
  if (size == 0) return 0;
  unsigned b = data[0];
  ++data;
  --size;
  return b;
}

// Strict UTF-8: no overlongs, surrogates or code points past U+10FFFF.
inline bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    std::size_t n;
    char32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const unsigned char d = s[i + k];
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

// A message a person reads (the project's rule: "one line file:line: id '...': what to fix") goes into
// results.json and the console: it must be one line of valid UTF-8 (nlohmann::json::dump throws
// on invalid UTF-8), whatever bytes the input held.
inline void check_message(std::string_view message, const char* what) {
  if (message.find('\n') != std::string_view::npos || !valid_utf8(message)) {
    std::fprintf(stderr, "%s: a message that is not one line of UTF-8: ", what);
    for (unsigned char c : message) std::fprintf(stderr, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
    std::fprintf(stderr, "\n");
    std::abort();
  }
}

}  // namespace imaxbench::fuzz
