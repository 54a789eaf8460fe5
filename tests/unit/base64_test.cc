// base64_encode against the RFC 4648 §10 test vectors, both alphabet ends, and the output length
// for every input length.
#include <gtest/gtest.h>

#include <string>

#include "backends/base64.h"

namespace imaxbench {
namespace {

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(std::string_view("")), "");
  EXPECT_EQ(base64_encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(base64_encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(std::string_view("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(std::string_view("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(std::string_view("foobar")), "Zm9vYmFy");
}

TEST(Base64, HighBytesUseTheStandardAlphabet) {
  // 0xfb 0xff 0xbf hits the last two alphabet characters, '+' (62) and '/' (63).
  EXPECT_EQ(base64_encode(std::string_view("\xfb\xff\xbf", 3)), "+/+/");
  EXPECT_EQ(base64_encode(std::string_view("\x00\x00\x00", 3)), "AAAA");
  EXPECT_EQ(base64_encode(std::string_view("\xff", 1)), "/w==");
  EXPECT_EQ(base64_encode(std::string_view("\x89PNG", 4)), "iVBORw==");
}

TEST(Base64, LengthIsFourPerStartedTriple) {
  std::string bytes;
  for (int n = 0; n < 300; ++n) {
    EXPECT_EQ(base64_encode(bytes).size(), static_cast<std::size_t>((n + 2) / 3 * 4)) << n;
    bytes += static_cast<char>(n * 37);
  }
}

}  // namespace
}  // namespace imaxbench
