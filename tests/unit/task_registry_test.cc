// The seven tasks as the registry lists them: names, versions, default metrics, prompt precedence.
#include <gtest/gtest.h>

#include "tasks/task.h"

namespace imaxbench {
namespace {

TEST(TaskRegistry, ListsTheSevenImaxTasks) {
  std::vector<std::string> names;
  for (const Task* t : all_tasks()) {
    names.emplace_back(t->name());
    EXPECT_EQ(t->version(), 1);
    EXPECT_FALSE(t->description().empty());
    EXPECT_FALSE(t->default_prompt_template().empty());
    EXPECT_EQ(find_task(t->name()), t);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"calculation", "report_generation", "multiclass_classification",
                                             "multilabel_classification", "rec", "reg", "vqa"}));
  EXPECT_EQ(find_task("segmentation"), nullptr);
}

std::vector<std::string> metric_names(std::string_view task) {
  std::vector<std::string> out;
  for (const auto& m : find_task(task)->default_metrics()) {
    out.push_back(m.name);
    EXPECT_TRUE(m.id.empty() || m.id == m.name);
  }
  return out;
}

TEST(TaskRegistry, DefaultMetricsPrimaryFirst) {
  using V = std::vector<std::string>;
  EXPECT_EQ(metric_names("calculation"), (V{"mae", "rmse", "acc_within", "cardiomegaly_agreement"}));
  EXPECT_EQ(metric_names("report_generation"), (V{"bleu_4", "rouge_l", "cider_d", "bleu_1", "token_f1"}));
  EXPECT_EQ(metric_names("multiclass_classification"), (V{"accuracy", "f1_macro", "kappa_quadratic"}));
  EXPECT_EQ(metric_names("multilabel_classification"),
            (V{"f1_macro", "f1_micro", "f1_samples", "exact_match"}));
  EXPECT_EQ(metric_names("rec"), (V{"acc_iou_0.5", "miou"}));
  EXPECT_EQ(metric_names("reg"), (V{"token_f1", "exact_match", "sentence_bleu_4"}));
  EXPECT_EQ(metric_names("vqa"), (V{"closed_accuracy", "closed_accuracy_contains", "open_token_f1", "open_recall"}));
}

TEST(TaskRegistry, RecordPromptBeatsSuiteTemplateBeatsDefault) {
  const Task& rec = *find_task("rec");
  Sample s;
  s.phrase = "the heart";
  TaskOptions o;
  EXPECT_EQ(rec.make_prompt(s, o), "[refer] Give me the location of the heart.");
  o.prompt_template = "Where is {phrase}?";
  EXPECT_EQ(rec.make_prompt(s, o), "Where is the heart?");
  s.prompt = "Find {phrase} now.";
  EXPECT_EQ(rec.make_prompt(s, o), "Find the heart now.");
}

TEST(TaskRegistry, ParseOutputNeverThrowsOnOddInput) {
  // Long inputs too: a regex-based parser would overflow the stack on these.
  const std::string odd[] = {"", std::string(1, '\0'), "\xFF\xFE", std::string(20000, '('),
                             "{<<<>>>}", "[[[1,2,3,4", "<box>(((", "...", ",,,", "0/0/0",
                             std::string(300000, ' ') + "{<1><2><3><4>}", std::string(300000, '1'),
                             std::string(100000, '-') + "0.5", std::string(50000, 'a') + " no effusion"};
  for (const Task* t : all_tasks()) {
    Sample s;
    s.classes = {"a", "b"};
    s.answer_type = "closed";
    s.image_size = std::array<double, 2>{100, 100};
    for (const auto& text : odd) {
      Prediction p;
      EXPECT_NO_THROW(p = t->parse_output(s, text, {})) << t->name();
      if (!p.parsed) {
        EXPECT_FALSE(p.note.empty()) << t->name();
      }
    }
  }
}

}  // namespace
}  // namespace imaxbench
