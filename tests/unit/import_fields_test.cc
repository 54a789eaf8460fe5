// How the importers read CSV fields: numbers only when the whole field is one (CheXmask, MS-CXR and
// VinDr-CXR coordinates), VinDr-CXR's finding names as the phrases of grounding samples, and the
// findings section of a MIMIC-CXR report.
#include <gtest/gtest.h>

#include "harness/import_common.h"
#include "harness/import_mimic.h"
#include "harness/import_vindr.h"
#include "tests/line_ends.h"

namespace imaxbench {
namespace {

TEST(ImportFields, NumberIsTheWholeField) {
  EXPECT_EQ(field_number("0.5"), 0.5);
  EXPECT_EQ(field_number(" 12 "), 12.0);
  EXPECT_EQ(field_number("+3"), 3.0);
  EXPECT_EQ(field_number("-1.0"), -1.0);
  EXPECT_EQ(field_number("1e2"), 100.0);
  for (const char* bad : {"", " ", "0.5x", "1,5", "nan", "inf", "1e999", "--1", "+", "0x10"})
    EXPECT_FALSE(field_number(bad).has_value()) << bad;
}

TEST(ImportFields, VindrPhrase) {
  EXPECT_EQ(vindr_phrase("Aortic enlargement"), "aortic enlargement");
  EXPECT_EQ(vindr_phrase("Nodule/Mass"), "nodule or mass");
  EXPECT_EQ(vindr_phrase("ILD"), "ILD");
  EXPECT_EQ(vindr_phrase("Other lesion"), "other lesion");
  EXPECT_EQ(vindr_phrase("COPD"), "COPD");
  EXPECT_EQ(vindr_phrase("Pleural effusion"), "pleural effusion");
}

// A report's sections read the same whatever its line ends or a byte-order mark: with a lone CR
// the IMPRESSION ran on into the findings, and after a mark the FINDINGS header was not seen.
TEST(ImportFields, ReportSectionsReadTheSameForEveryLineEnd) {
  const std::string report = "FINAL REPORT\n EXAMINATION:  CHEST (PA AND LAT)\n\n FINDINGS: The heart is\n normal.\n"
                             "\n IMPRESSION: No acute process.\n";
  EXPECT_EQ(report_findings(report), "The heart is normal.");
  for (const std::string end : {"\r\n", "\r"}) {
    EXPECT_EQ(report_findings(line_ends::with_line_ends(report, end)), "The heart is normal.") << ::testing::PrintToString(end);
  }
  EXPECT_EQ(report_findings("\xEF\xBB\xBF" "FINDINGS: Clear lungs.\nIMPRESSION: Normal."), "Clear lungs.");
  EXPECT_EQ(report_findings("IMPRESSION: No acute process.\r"), "No acute process.");
}

}  // namespace
}  // namespace imaxbench
