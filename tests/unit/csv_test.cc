// The importers' CSV reader: RFC 4180 quoting (commas, line breaks and "" inside quotes), CRLF and CR,
// a byte-order mark, blank lines, row line numbers, and one message naming the line for a quote
// that never closes, text after a closing quote, a stray quote or a short row.
#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/error.h"
#include "tests/line_ends.h"

namespace imaxbench {
namespace {

TEST(Csv, QuotedFieldsLineBreaksAndLineNumbers) {
  const CsvTable t = parse_csv(
      "\xEF\xBB\xBFsubject_id,study_id,text\r\n"
      "10,20,plain\r\n"
      "\n"
      "11,21,\"a, quoted \"\"field\"\"\nover two lines\"\n"
      "12,22,\n",
      "x.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"subject_id", "study_id", "text"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].line, 2u);
  EXPECT_EQ(t.rows[1].line, 4u);
  EXPECT_EQ(t.rows[1].fields[2], "a, quoted \"field\"\nover two lines");
  EXPECT_EQ(t.rows[2].line, 6u);
  EXPECT_EQ(t.rows[2].fields[2], "");
  EXPECT_EQ(t.column("study_id"), 1u);
  EXPECT_FALSE(t.has_column("dicom_id"));
  try {
    t.column("dicom_id");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "x.csv: no column 'dicom_id' (the header has: subject_id, study_id, text)");
  }
}

// The same rows, fields and line numbers whatever the line ends: a file with lone CR line ends was
// one long header row, and a line break inside quotes kept the CR of a CRLF file.
TEST(Csv, EveryLineEndReadsTheSame) {
  const std::string lf = "a,b\n1,\"x\ny\"\n\n2,z\n";
  const CsvTable want = parse_csv(lf, "x.csv");
  ASSERT_EQ(want.rows.size(), 2u);
  EXPECT_EQ(want.rows[0].fields[1], "x\ny");
  EXPECT_EQ(want.rows[1].line, 5u);
  for (const std::string end : {"\r\n", "\r"}) {
    const CsvTable t = parse_csv(line_ends::with_line_ends(lf, end), "x.csv");
    EXPECT_EQ(t.header, want.header) << ::testing::PrintToString(end);
    ASSERT_EQ(t.rows.size(), want.rows.size()) << ::testing::PrintToString(end);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      EXPECT_EQ(t.rows[r].fields, want.rows[r].fields) << ::testing::PrintToString(end);
      EXPECT_EQ(t.rows[r].line, want.rows[r].line) << ::testing::PrintToString(end);
    }
  }
}

TEST(Csv, MalformedTextNamesTheLine) {
  auto message = [](std::string_view text) {
    try {
      parse_csv(text, "bad.csv");
    } catch (const DataError& e) {
      return std::to_string(e.line()) + ": " + e.problem();
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("a,b\n1,\"open\n2,3\n"), "2: a quoted field never closes (a \" is missing)");
  EXPECT_EQ(message("a,b\n1,\"x\"y\n"), "2: text after a closing quote (a field is \"...\" and nothing else)");
  EXPECT_EQ(message("a,b\n1,x\"y\n"), "2: a quote inside an unquoted field (quote the whole field)");
  EXPECT_EQ(message("a,b\n1,2\n3\n"), "3: has 1 fields, the header 2");
  EXPECT_EQ(message("\n\n"), "1: no header row (a CSV file starts with its column names)");
}

}  // namespace
}  // namespace imaxbench
