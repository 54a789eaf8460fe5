// vqa_normalize against the official VQAv2 evaluation: tests/data/vqa_normalize_cases.json holds
// inputs and what vqaEval.py itself returned for them (tests/golden/gen_vqa_normalize.py).
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "metrics/text_normalize.h"

namespace imaxbench {
namespace {

nlohmann::json load_cases() {
  const std::string path = std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/vqa_normalize_cases.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

TEST(VqaNormalize, MatchesOfficialEvaluationTable) {
  const nlohmann::json table = load_cases();
  const auto& cases = table.at("cases");
  ASSERT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    const std::string input = c.at("input").get<std::string>();
    EXPECT_EQ(vqa_normalize(input), c.at("expected").get<std::string>())
        << "input: " << nlohmann::json(input).dump();
  }
}

TEST(VqaNormalize, TokensSplitTheNormalizedText) {
  EXPECT_EQ(vqa_tokens("The two (left) lungs."),
            (std::vector<std::string>{"2", "left", "lungs"}));
  EXPECT_TRUE(vqa_tokens(" the a ... ").empty());
  EXPECT_EQ(vqa_tokens("1,000 people!"), (std::vector<std::string>{"1000", "people"}));
}

TEST(VqaNormalize, PeriodsStripCapAtThirtyTwo) {
  // vqaEval.py passes re.UNICODE (32) as re.sub's count: only the first 32 periods go.
  EXPECT_EQ(vqa_normalize(std::string(33, '.') + "x"), ".x");
  EXPECT_EQ(vqa_normalize(std::string(32, '.') + "x"), "x");
}

TEST(VqaNormalize, PunctuationRuleLooksAtTheOriginalText) {
  // '-' next to a space anywhere removes every '-'; otherwise each becomes a space.
  EXPECT_EQ(vqa_normalize("x-ray - chest"), "xray chest");
  EXPECT_EQ(vqa_normalize("x-ray chest"), "x ray chest");
  // A digit,comma,digit anywhere removes all 21 punctuation characters instead.
  EXPECT_EQ(vqa_normalize("left-lung 1,5"), "leftlung 15");
}

}  // namespace
}  // namespace imaxbench
