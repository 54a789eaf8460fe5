// read_jsonl_streamed (core/jsonl.h) reads a file in pieces and cuts blocks of whole lines as it
// goes; it must give exactly the lines for_each_jsonl_line gives for the file's whole content: the
// same numbers, values, problems and torn flags, whatever the piece size, with a line end, a CRLF,
// the BOM or a blank run falling across two pieces, and the same bytes to `on_bytes`.
#include <tbb/global_control.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/jsonl.h"
#include "core/sha256.h"
#include "test_files.h"

namespace imaxbench {
namespace {

struct Seen {
  std::size_t line;
  std::string value, problem;
  bool torn;
  bool operator==(const Seen&) const = default;
};

void PrintTo(const Seen& s, std::ostream* os) { *os << s.line << " " << s.value << " [" << s.problem << "]" << s.torn; }

std::vector<Seen> in_memory(const std::string& data) {
  std::vector<Seen> out;
  for_each_jsonl_line(data, [&](JsonlLine& l) { out.push_back({l.line, l.value.dump(), l.problem, l.torn}); });
  return out;
}

std::vector<Seen> streamed(const std::string& path, std::size_t read_bytes, std::string& bytes) {
  std::vector<Seen> out;
  bytes.clear();
  read_jsonl_streamed(
      path, "test file", [](JsonlLine&) {},
      [&](JsonlLine& l) { out.push_back({l.line, l.value.dump(), l.problem, l.torn}); },
      [&](std::string_view b) { bytes += b; }, read_bytes);
  return out;
}

// Every kind of line end, blank lines, bad lines, and the file's first and last bytes in question.
const char* const kTexts[] = {
    "\xEF\xBB\xBF{\"id\":\"a\"}\n{\"id\":\"b\"}\r\n\r\n{\"id\":\"c\"}\r{\"id\":\"d\"}\n"
    "  \n\t\n{\"id\":1,}\n[1]\n{\"x\":\"y\"}",
    "{\"id\":\"a\"}\r\n{\"id\":\"b\"}\r\n{\"id\":\"torn\"",
    "\r\n\r\n\n\r{\"id\":\"late\"}\r",
    "{\"id\":\"only\"}",
    "",
    "\n\n",
    "{\"id\":\"\xE2\x80\xA8 unicode line separator is not a line end\"}\n{\"text\":\"\xff\"}\n",
};

TEST(JsonlStreamed, GivesTheLinesOfTheWholeText) {
  testing::TempDir dir;
  for (const char* text : kTexts) {
    const std::string data = text;
    const std::string path = dir.write("a.jsonl", data);
    const auto want = in_memory(data);
    for (std::size_t read_bytes : {1, 2, 3, 5, 7, 11, 64, 1 << 16}) {
      std::string bytes;
      EXPECT_EQ(streamed(path, read_bytes, bytes), want) << "pieces of " << read_bytes << " bytes: " << text;
      EXPECT_EQ(bytes, data);
    }
  }
}

// Past 1 MiB the blocks are parsed on all threads; random lines, ends and blank runs.
TEST(JsonlStreamed, GivesTheLinesOfALargeFileOnAnyThreadCount) {
  std::string data;
  std::uint64_t x = 2463534242ULL;  // xorshift64
  auto next = [&x] { x ^= x << 13, x ^= x >> 7, x ^= x << 17; return x; };
  const char* const ends[] = {"\n", "\r\n", "\r", "\n\n", "\r\n  \r\n"};
  for (int i = 0; data.size() < (std::size_t{3} << 20); ++i) {
    const std::uint64_t r = next();
    if (r % 97 == 0) data += "{\"id\": \"bad\",}";
    else data += "{\"id\":\"r" + std::to_string(i) + "\",\"text\":\"" + std::string(r % 300, 'w') + "\"}";
    data += ends[(r >> 16) % 5];
  }
  data += "{\"id\":\"torn";
  testing::TempDir dir;
  const std::string path = dir.write("big.jsonl", data);
  const auto want = in_memory(data);
  ASSERT_GT(want.size(), 10000u);
  for (std::size_t threads : {1, 2, 8})
    for (std::size_t read_bytes : {std::size_t{4099}, std::size_t{256} << 10}) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
      std::string bytes;
      EXPECT_EQ(streamed(path, read_bytes, bytes), want) << threads << " threads, pieces of " << read_bytes;
      EXPECT_EQ(sha256_hex(bytes), sha256_hex(data));
    }
  Sha256Stream pieces;
  for (std::size_t at = 0; at < data.size(); at += 1000) pieces.update(std::string_view(data).substr(at, 1000));
  EXPECT_EQ(pieces.hex(), sha256_hex(data));
}

}  // namespace
}  // namespace imaxbench
