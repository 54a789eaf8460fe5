// SHA-256 of files and strings, for the suite/split/model hashes in every results file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace imaxbench {

// SHA-256 of bytes given in pieces (a file hashed as it is read), by the same implementation as
// sha256_hex.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  void update(std::string_view bytes);
  std::string hex();  // once, at the end

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view data);
// Throws Error naming the file when it cannot be read.
std::string sha256_file(const std::string& path);
// The FIPS 180-4 implementation sha256_hex uses where the build has no OpenSSL.
std::string sha256_hex_portable(std::string_view data);
// The first 12 hex digits, as messages and tables show a hash (all of a shorter string).
inline std::string short_sha256(const std::string& hex) { return hex.substr(0, 12); }

}  // namespace imaxbench
