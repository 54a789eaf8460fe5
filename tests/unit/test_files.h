// Temporary folders and files for tests; removed when the object goes away.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace imaxbench::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("imaxbench-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  // Writes `content` to path()/name (creating folders) and returns the full path.
  std::string write(const std::string& name, const std::string& content) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

// The 8-byte PNG signature, an IHDR chunk for a w x h 8-bit grayscale image and the start of an
// IDAT chunk: enough for header checks, which read (with libpng) up to the image data, and a file
// cut short for the decoder.
inline std::string png_header_bytes(int w, int h) {
  std::string s = "\x89PNG\r\n\x1a\n";
  auto be32 = [&](unsigned v) {
    for (int i = 3; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  auto crc32 = [](const std::string& bytes) {  // PNG's CRC (ISO 3309), bit by bit
    unsigned c = 0xFFFFFFFFu;
    for (unsigned char b : bytes) {
      c ^= b;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
  };
  be32(13);
  const std::size_t type_at = s.size();
  s += "IHDR";
  be32(unsigned(w));
  be32(unsigned(h));
  s += std::string("\x08\x00\x00\x00\x00", 5);
  be32(crc32(s.substr(type_at)));
  be32(64);
  s += "IDAT";
  return s;
}

}  // namespace imaxbench::testing
