// A model's answer reads the same with LF, CRLF or lone CR line ends, in every task's parser, as
// the file readers treat the three alike. With a lone CR, an open VQA answer's first line ran on
// into the next ("small\rIt is a moderate effusion" was read whole: token F1 0.29 for 1.0), and a
// negation ran on past the line ("No pneumothorax\rCardiomegaly, edema" found no finding).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "task_test_support.h"
#include "tests/line_ends.h"

namespace imaxbench {
namespace {

using line_ends::as_lf;
using line_ends::with_line_ends;
using testing::sample_from;

struct Case {
  const char* task;
  nlohmann::json record;
  std::vector<std::string> answers;  // lines joined by "\n"
};

TEST(TaskLineEnds, EveryParserReadsLfCrlfAndCrAlike) {
  const std::vector<Case> cases = {
      {"vqa",
       {{"question", "How large is the effusion?"}, {"answer_type", "open"}, {"reference", "small"}},
       {"small\nIt is a moderate effusion overall.", "\n\nright lower lobe\nbecause of the opacity"}},
      {"vqa",
       {{"question", "Is there a pleural effusion?"}, {"answer_type", "closed"}, {"reference", "no"}},
       {"No\nThere is a small effusion, yes.", "Answer:\nyes"}},
      {"multilabel_classification",
       {{"reference", nlohmann::json::array()}},
       {"No pneumothorax\nCardiomegaly, edema, consolidation", "Cardiomegaly: yes\nEdema: no\nPleural Effusion: yes",
        "- Edema\n- No pneumothorax"}},
      {"multiclass_classification", {{"reference", "none"}}, {"Grade:\nmoderate", "no edema\nsevere elsewhere"}},
      {"calculation", {{"quantity", "ctr"}, {"reference", 0.5}}, {"CTR:\n0.52", "heart 12 cm\nthorax 24 cm"}},
      {"rec",
       {{"phrase", "the nasogastric tube"}, {"image_size", {320, 256}}, {"reference", {168, 0, 209, 199}}},
       {"The tube:\n[10, 20, 30, 40]", "<box>\n(10,20),(30,40)\n</box>"}},
      {"reg",
       {{"box", {168, 0, 209, 199}}, {"image_size", {320, 256}}, {"reference", "nasogastric tube"}},
       {"nasogastric tube\nin the stomach", "\nthe tube"}},
      {"report_generation", {{"reference", "The heart is normal."}}, {"Findings:\nThe heart is normal.\nNo effusion."}},
  };
  for (const Case& c : cases) {
    const Task& task = *find_task(c.task);
    const Sample s = sample_from(task, c.record);
    for (const std::string& answer : c.answers) {
      SCOPED_TRACE(std::string(c.task) + ": " + answer);
      const Prediction lf = task.parse_output(s, answer, {});
      for (const std::string end : {"\r\n", "\r"}) {
        const Prediction other = task.parse_output(s, with_line_ends(answer, end), {});
        EXPECT_EQ(other.parsed, lf.parsed) << ::testing::PrintToString(end);
        EXPECT_EQ(as_lf(other.text), lf.text) << ::testing::PrintToString(end);
        EXPECT_EQ(other.number, lf.number);
        EXPECT_EQ(other.class_index, lf.class_index);
        EXPECT_EQ(other.labels, lf.labels);
        EXPECT_EQ(other.n_boxes, lf.n_boxes);
        EXPECT_EQ(other.box, lf.box);
      }
    }
  }
}

}  // namespace
}  // namespace imaxbench
