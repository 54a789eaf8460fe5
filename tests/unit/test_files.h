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

// The 8-byte PNG signature and an IHDR chunk for a w x h 8-bit grayscale image: enough for
// header checks (CRC and image data are not needed by the header reader).
inline std::string png_header_bytes(int w, int h) {
  std::string s = "\x89PNG\r\n\x1a\n";
  auto be32 = [&](unsigned v) {
    for (int i = 3; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  be32(13);
  s += "IHDR";
  be32(unsigned(w));
  be32(unsigned(h));
  s += std::string("\x08\x00\x00\x00\x00", 5);
  be32(0);
  return s;
}

}  // namespace imaxbench::testing
