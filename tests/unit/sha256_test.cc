// SHA-256: the FIPS 180-4 / NIST example vectors, for the implementation the build uses (OpenSSL's
// where present) and the portable one; the two agree on every length around the block edges; a
// file hashes as its content does.
#include <gtest/gtest.h>

#include <string>

#include "core/sha256.h"
#include "test_files.h"

namespace imaxbench {
namespace {

struct Vector {
  std::string message, digest;
};

const Vector kVectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

TEST(Sha256, NistVectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(sha256_hex(v.message), v.digest) << v.message.size() << " bytes";
    EXPECT_EQ(sha256_hex_portable(v.message), v.digest) << v.message.size() << " bytes";
  }
}

TEST(Sha256, BothImplementationsAgreeAroundBlockEdges) {
  std::string m;
  for (std::size_t n = 0; n <= 300; ++n) {
    EXPECT_EQ(sha256_hex(m), sha256_hex_portable(m)) << n;
    m += static_cast<char>((n * 131 + 7) & 0xff);
  }
}

TEST(Sha256, FileEqualsString) {
  testing::TempDir dir;
  std::string content(200000, 'x');
  auto path = dir.write("f.bin", content);
  EXPECT_EQ(sha256_file(path), sha256_hex(content));
  EXPECT_THROW(sha256_file(dir.path() + "/missing"), std::exception);
}

}  // namespace
}  // namespace imaxbench
