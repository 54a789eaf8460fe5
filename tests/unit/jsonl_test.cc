#include "core/jsonl.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/text_lines.h"
#include "test_files.h"

namespace imaxbench {
namespace {

std::vector<JsonlLine> read_all(const std::string& path) {
  std::vector<JsonlLine> out;
  read_jsonl(path, [&](JsonlLine& l) { out.push_back(l); });
  return out;
}

TEST(Jsonl, LineNumbersSkipBlankLines) {
  testing::TempDir dir;
  auto lines = read_all(dir.write("a.jsonl", "{\"id\":\"a\"}\n\n  \n{\"id\":\"b\"}\r\n"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].line, 1u);
  EXPECT_EQ(lines[1].line, 4u);
  EXPECT_EQ(lines[1].value["id"], "b");
  EXPECT_TRUE(lines[1].problem.empty());
}

TEST(Jsonl, BadLinesAreNamedNotThrown) {
  testing::TempDir dir;
  auto lines = read_all(dir.write("a.jsonl", "{\"id\": 1,}\n[1,2]\n\"x\xff\"\n{\"id\":\"torn\""));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].problem.find("not valid JSON"), std::string::npos);
  EXPECT_NE(lines[1].problem.find("JSON object"), std::string::npos);
  EXPECT_NE(lines[2].problem.find("UTF-8"), std::string::npos);
  EXPECT_TRUE(lines[3].torn);
  EXPECT_NE(lines[3].problem.find("cut off"), std::string::npos);
}

TEST(Jsonl, ByteOrderMarkIsIgnored) {
  testing::TempDir dir;
  auto lines = read_all(dir.write("a.jsonl", "\xEF\xBB\xBF{\"id\":\"a\"}\n"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].problem.empty());
}

TEST(Jsonl, MissingFileIsAnError) {
  EXPECT_THROW(read_jsonl("/nonexistent/x.jsonl", [](JsonlLine&) {}), Error);
}

}  // namespace
}  // namespace imaxbench

namespace imaxbench {
namespace {

// unterminated_last_line() counts lines as the reader does (LF, CRLF, lone CR, blank lines): the
// torn line the reader names is the one it points at, whatever the line ends before it.
TEST(Jsonl, UnterminatedLastLineAgreesWithTheReader) {
  testing::TempDir dir;
  const std::string torn = "{\"id\":\"t";
  for (const std::string before : {"", "{}\n", "{}\r\n{}\r", "\r\r\n\n{}\r", "{}\n\n \r\n"}) {
    const UnterminatedLine u = unterminated_last_line(before + torn);
    EXPECT_EQ(u.begin, before.size());
    auto lines = read_all(dir.write("a.jsonl", before + torn));
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(lines.back().torn);
    EXPECT_EQ(lines.back().line, u.lines_before + 1) << ::testing::PrintToString(before);
  }
  EXPECT_EQ(unterminated_last_line("{}\r").begin, 3u);  // ended: nothing unterminated
  EXPECT_EQ(unterminated_last_line("").begin, 0u);
}

TEST(Jsonl, OverflowingNumberIsNamedNotThrown) {
  testing::TempDir dir;
  std::vector<JsonlLine> lines;
  read_jsonl(dir.write("a.jsonl", "{\"id\":\"x\",\"reference\":1e999}\n"), [&](JsonlLine& l) { lines.push_back(l); });
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].problem.find("too large"), std::string::npos);
}

}  // namespace
}  // namespace imaxbench
