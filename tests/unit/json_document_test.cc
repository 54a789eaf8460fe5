// Where parse_json says a document went wrong: the line and column an editor shows, whatever the
// line ends (LF, CRLF or a lone CR) and with a byte-order mark before the text.
#include "core/json_document.h"

#include <gtest/gtest.h>

#include <string>

namespace imaxbench {
namespace {

JsonProblem problem_of(const std::string& text) {
  JsonProblem problem;
  EXPECT_FALSE(parse_json(text, problem).has_value()) << text;
  return problem;
}

TEST(JsonDocument, ProblemLineAndColumnForEveryLineEnd) {
  for (const std::string end : {"\n", "\r\n", "\r"}) {
    const JsonProblem p = problem_of("{" + end + "  \"name\": \"x\"," + end + "  \"tasks\": x" + end + "}");
    EXPECT_EQ(p.line, 3u) << ::testing::PrintToString(end);
    EXPECT_EQ(p.column, 12u) << ::testing::PrintToString(end);
  }
  EXPECT_EQ(problem_of("\xEF\xBB\xBF{\"name\": x}").column, problem_of("{\"name\": x}").column);
  EXPECT_EQ(problem_of("{\"name\": x}").column, 10u);
}

}  // namespace
}  // namespace imaxbench
