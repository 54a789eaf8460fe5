#include <cmath>
#include <optional>

#include <gtest/gtest.h>

#include "tasks/number_parser.h"
#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::record_error;
using testing::sample_from;
using nlohmann::json;

const Task& task() { return *find_task("calculation"); }

struct NumberCase {
  const char* answer;
  std::optional<double> expected;  // nullopt: unparsed
};

const NumberCase kNumberCases[] = {
    {"0.52", 0.52},
    {"52%", 0.52},
    {"The CTR is approximately 0.52.", 0.52},
    {"0,52", 0.52},
    {"The ratio is 0.52.", 0.52},
    {"ratio: .48", 0.48},
    {"12.3/25.1", 12.3 / 25.1},
    {"Cardiothoracic ratio (CTR) = 12 / 24", 0.5},
    {"CTR = 0.61, which indicates cardiomegaly.", 0.61},
    {"The cardiothoracic ratio is 0.45 (normal < 0.5).", 0.45},
    {"Heart width 13.5 cm, thoracic width 28.0 cm, CTR 0.48", 0.48},
    {"CPAR: 0.38", 0.38},
    {"approximately 45 percent", 0.45},
    {"CTR \xE2\x89\x88 0.55", 0.55},
    {"0.5", 0.5},
    {"1", 1.0},
    {"The CTR is 0.50-0.55.", 0.50},
    {"COVID-19 patient, CTR 0.47", 0.47},
    {"Answer: 0.47.", 0.47},
    {"0.4763", 0.4763},
    {"CTR: 0,47; CPAR: 0,39", 0.47},
    {"The ratio is 47.5%.", 0.475},
    {"The heart is 1,234 pixels wide; ratio 0.44", 0.44},
    {"The ratio is 0.52.\nExplanation: the heart width is 15 cm.", 0.52},
    {"about 0.6.", 0.6},
    {"ratio ~ 0.58\xC2\xB1" "0.02", 0.58},
    {"0.", 0.0},
    {"CTR 12,5%", 0.125},
    // An exponent is part of its number (once "1.2e-1" was read as 1.2 and scored).
    {"CTR = 1.2e-1", 0.12},
    {"CTR: 5.5E-01", 0.55},
    {"The ratio is 5e-1.", 0.5},
    {"4.8e+1%", 0.48},
    {"1e308, or 0.51", 0.51},
    {"0.5e is not an exponent", 0.5},
    {"about 6e-1 (2 x 3e-1)", 0.6},
    // Numbers before the asked quantity's name are steps, scales or counts, not the ratio.
    {"1. Transverse cardiac diameter: 15.2 cm\n2. Thoracic diameter: 28.4 cm\n3. CTR = 15.2/28.4 = 0.54",
     15.2 / 28.4},
    {"Step 1: measure the heart. Step 2: CTR = 0.47.", 0.47},
    {"On a scale from 0 to 1, the CTR is approximately 0.55.", 0.55},
    {"In this PA chest X-ray (1 view), the cardiothoracic ratio is 0.45.", 0.45},
    {"The CTR is 0.55, above the normal CTR of 0.5.", 0.55},
    {"0.52 is the CTR", 0.52},
    // Unparsed: no plausible ratio, never a silent zero.
    {"The heart measures 14.2 cm and the thorax 30.1 cm.", std::nullopt},
    {"I cannot determine the ratio from this image.", std::nullopt},
    {"", std::nullopt},
    {"   \n", std::nullopt},
    {"-0.3", std::nullopt},
    {"NaN", std::nullopt},
    {"inf", std::nullopt},
    {"The cardiothoracic ratio is 52", std::nullopt},
    {"CTR is 1.6", std::nullopt},
    {"1e308", std::nullopt},
    {"The value is 5/0", std::nullopt},
    {"Cardiomegaly is present.", std::nullopt},
};

TEST(CalculationTask, ParsesRealisticAnswers) {
  const Sample s = sample_from(task(), {{"quantity", "ctr"}, {"reference", 0.5}});
  for (const auto& c : kNumberCases) {
    SCOPED_TRACE(c.answer);
    const Prediction p = task().parse_output(s, c.answer, {});
    ASSERT_EQ(p.parsed, c.expected.has_value()) << p.note;
    if (c.expected) {
      EXPECT_NEAR(p.number, *c.expected, 1e-12);
    } else {
      EXPECT_FALSE(p.note.empty());
    }
  }
}

TEST(CalculationTask, NotesWhatWasAssumed) {
  const Sample s = sample_from(task(), {{"quantity", "ctr"}, {"reference", 0.5}});
  EXPECT_NE(task().parse_output(s, "52%", {}).note.find("percentage"), std::string::npos);
  EXPECT_NE(task().parse_output(s, "14 cm, 0.5", {}).note.find("skipped 14"), std::string::npos);
  EXPECT_NE(task().parse_output(s, "no idea", {}).note.find("no number"), std::string::npos);
}

TEST(NumberParser, ScansThousandsAndDecimalCommas) {
  EXPECT_EQ(scan_numbers("1,234 and 0,5 and 1,5"), (std::vector<double>{1234, 0.5, 1.5}));
  EXPECT_EQ(scan_numbers("T2 v1.5 x"), std::vector<double>{});
  EXPECT_EQ(scan_numbers("end. .25"), std::vector<double>{0.25});
}

TEST(CalculationTask, PicksTheAskedQuantityWhenBothAreGiven) {
  const Sample ctr = sample_from(task(), {{"quantity", "ctr"}, {"reference", 0.5}});
  const Sample cpar = sample_from(task(), {{"quantity", "cpar"}, {"reference", 0.4}});
  const char* both = "CTR: 0.52, CPAR: 0.41";
  EXPECT_DOUBLE_EQ(task().parse_output(ctr, both, {}).number, 0.52);
  EXPECT_DOUBLE_EQ(task().parse_output(cpar, both, {}).number, 0.41);
  const char* reversed = "The cardiopulmonary area ratio is 0.41 and the cardiothoracic ratio is 0.52.";
  EXPECT_DOUBLE_EQ(task().parse_output(ctr, reversed, {}).number, 0.52);
  EXPECT_DOUBLE_EQ(task().parse_output(cpar, reversed, {}).number, 0.41);
  // Only one quantity named: the first plausible number, whatever was asked.
  EXPECT_DOUBLE_EQ(task().parse_output(cpar, "CTR 0.55", {}).number, 0.55);
  // The asked quantity named but no number after it: fall back to the first.
  EXPECT_DOUBLE_EQ(task().parse_output(cpar, "0.55 CTR, no acute cardiopulmonary process", {}).number, 0.55);
}

TEST(CalculationTask, ReadsValidRecords) {
  const Sample s = sample_from(task(), {{"quantity", "CPAR"}, {"reference", 0.41}});
  EXPECT_EQ(s.quantity, "cpar");
  EXPECT_DOUBLE_EQ(s.ref_number, 0.41);
  EXPECT_EQ(sample_from(task(), {{"quantity", "ctr"}, {"reference", 1}}).ref_number, 1.0);
}

TEST(CalculationTask, RejectsBadRecordsWithActionableMessages) {
  auto err = record_error(task(), {{"id", "x9"}, {"reference", 0.5}});
  EXPECT_NE(err.find("split.jsonl:7: id 'x9'"), std::string::npos) << err;
  EXPECT_NE(err.find("missing field 'quantity'"), std::string::npos) << err;

  err = record_error(task(), {{"quantity", "ratio"}, {"reference", 0.5}});
  EXPECT_NE(err.find("field 'quantity' is 'ratio'"), std::string::npos) << err;
  EXPECT_NE(err.find("'ctr'"), std::string::npos) << err;

  err = record_error(task(), {{"quantity", "ctr"}, {"reference", 52}});
  EXPECT_NE(err.find("field 'reference' is 52"), std::string::npos) << err;
  EXPECT_NE(err.find("(0, 1]"), std::string::npos) << err;

  err = record_error(task(), {{"quantity", "ctr"}, {"reference", 0}});
  EXPECT_NE(err.find("(0, 1]"), std::string::npos) << err;

  err = record_error(task(), {{"quantity", "ctr"}, {"reference", "0.5"}});
  EXPECT_NE(err.find("field 'reference' must be a number, got string"), std::string::npos) << err;

  err = record_error(task(), {{"quantity", "ctr"}});
  EXPECT_NE(err.find("missing field 'reference'"), std::string::npos) << err;
}

TEST(CalculationTask, PromptExpandsTheQuantity) {
  Sample s = sample_from(task(), {{"quantity", "ctr"}, {"reference", 0.5}});
  EXPECT_NE(task().make_prompt(s, {}).find("cardiothoracic ratio (CTR)"), std::string::npos);
  s.quantity = "cpar";
  TaskOptions o;
  o.prompt_template = "Compute the {quantity}.";
  EXPECT_EQ(task().make_prompt(s, o), "Compute the cardiopulmonary area ratio (CPAR).");
  s.prompt = "Own prompt {quantity}";
  EXPECT_EQ(task().make_prompt(s, o), "Own prompt cardiopulmonary area ratio (CPAR)");
}

}  // namespace
}  // namespace imaxbench
