// The server-sent-events parser on the framings servers use (LF, CRLF, CR, comments, multi-line
// data) and on every way a socket can split the bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backends/sse_parser.h"

namespace imaxbench {
namespace {

std::vector<SseEvent> parse_all(const std::string& stream) {
  SseParser p;
  std::vector<SseEvent> out;
  EXPECT_TRUE(p.feed(stream, out));
  p.finish(out);
  return out;
}

std::vector<std::string> datas(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.data);
  return out;
}

TEST(SseParser, OpenAIStream) {
  const std::string s =
      "data: {\"a\":1}\n\n"
      ": keep-alive\n\n"
      "data: {\"b\":2}\n\n"
      "data: [DONE]\n\n";
  EXPECT_EQ(datas(parse_all(s)), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "[DONE]"}));
}

TEST(SseParser, LineEndingsCrLfAndCr) {
  EXPECT_EQ(datas(parse_all("data: x\r\n\r\ndata: y\r\rdata: z\n\n")),
            (std::vector<std::string>{"x", "y", "z"}));
}

TEST(SseParser, FieldRules) {
  // Multi-line data joins with LF; only one space after the colon is stripped; "data" alone is an
  // empty line of data; event names are kept; unknown fields and id/retry are ignored.
  auto ev = parse_all("event: usage\nid: 7\nretry: 10\nfoo: bar\ndata:  two spaces\ndata\ndata:z\n\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event, "usage");
  EXPECT_EQ(ev[0].data, " two spaces\n\nz");
}

TEST(SseParser, BlankLinesWithoutDataDispatchNothing) {
  EXPECT_TRUE(parse_all("\n\n: only a comment\n\nevent: x\n\n").empty());
  // ...but an empty data field is an event with empty data.
  EXPECT_EQ(datas(parse_all("data:\n\n")), (std::vector<std::string>{""}));
}

TEST(SseParser, EveryTwoWaySplitGivesTheSameEvents) {
  const std::string s = "data: {\"x\": \"h\\u00e9llo\"}\r\n\r\n: c\r\ndata: a\r\ndata: b\r\n\r\ndata: [DONE]\r\n\r\n";
  const auto want = datas(parse_all(s));
  ASSERT_EQ(want.size(), 3u);
  for (std::size_t cut = 0; cut <= s.size(); ++cut) {
    SseParser p;
    std::vector<SseEvent> out;
    p.feed(std::string_view(s).substr(0, cut), out);
    p.feed(std::string_view(s).substr(cut), out);
    p.finish(out);
    EXPECT_EQ(datas(out), want) << "cut at " << cut;
  }
}

TEST(SseParser, ByteAtATime) {
  const std::string s = "data: one\r\rdata: two\r\n\r\ndata: three\n\n";
  SseParser p;
  std::vector<SseEvent> out;
  for (char c : s) p.feed(std::string_view(&c, 1), out);
  p.finish(out);
  EXPECT_EQ(datas(out), (std::vector<std::string>{"one", "two", "three"}));
}

TEST(SseParser, FinishDispatchesAnEventCutShortByTheConnection) {
  EXPECT_EQ(datas(parse_all("data: a\n\ndata: last")), (std::vector<std::string>{"a", "last"}));
  EXPECT_EQ(datas(parse_all("data: a\n\ndata: last\n")), (std::vector<std::string>{"a", "last"}));
}

TEST(SseParser, EventsAreReturnedAsSoonAsTheirBlankLineArrives) {
  SseParser p;
  std::vector<SseEvent> out;
  p.feed("data: a\n", out);
  EXPECT_TRUE(out.empty());
  p.feed("\ndata: b", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "a");
}

TEST(SseParser, OverlongLineStopsTheParser) {
  SseParser p(16);
  std::vector<SseEvent> out;
  EXPECT_TRUE(p.feed("data: short\n\n", out));
  EXPECT_FALSE(p.feed("data: this line is far longer than sixteen bytes", out));
  EXPECT_TRUE(p.overflowed());
  EXPECT_FALSE(p.feed("\n\ndata: more\n\n", out));
  p.finish(out);
  EXPECT_EQ(out.size(), 1u);
}

// Issue 12: the limit also holds for one event made of many short `data:` lines that never ends
// (no blank line): that data used to grow without bound.
TEST(SseParser, EventOfManyLinesStopsTheParserToo) {
  SseParser p(16);
  std::vector<SseEvent> out;
  bool ok = true;
  for (int i = 0; i < 10 && ok; ++i) ok = p.feed("data: abcdef\n", out);
  EXPECT_FALSE(ok);
  EXPECT_TRUE(p.overflowed());
  p.finish(out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace imaxbench
