// How the importers read CSV fields: numbers only when the whole field is one (CheXmask, MS-CXR and
// VinDr-CXR coordinates), and VinDr-CXR's finding names as the phrases of grounding samples.
#include <gtest/gtest.h>

#include "harness/import_common.h"
#include "harness/import_vindr.h"

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

}  // namespace
}  // namespace imaxbench
