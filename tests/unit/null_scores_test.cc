// Issue 12, items 1-3: a metric with no eligible sample is null, never 0 or 1; a task whose primary
// metric is null makes the multi-task average null; a suite naming a metric that does not apply to
// its task is refused when it is loaded.
#include <cmath>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "results/result_sink.h"
#include "harness/score_suite.h"
#include "metrics/metric.h"
#include "core/error.h"
#include "tasks/task.h"
#include "test_files.h"

namespace imaxbench {
namespace {

using ::testing::HasSubstr;

class NullScoresTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_.write("img.png", testing::png_header_bytes(64, 64)); }

  // A suite of one task whose split holds `lines`, scored against `answers` (JSONL).
  ScoredSuite score(const std::string& task, const std::string& metrics_json, const std::string& lines,
                    const std::string& answers = "") {
    const std::string suite = dir_.write("suite.json", "{\"name\": \"t\", \"tasks\": [{\"task\": \"" + task +
                                                           "\", \"split\": \"s.jsonl\", \"metrics\": " +
                                                           metrics_json + "}]}");
    dir_.write("s.jsonl", lines);
    loaded_ = load_suite_splits(suite, "", SplitOptions{});
    answers_ = read_answers(dir_.write("p.jsonl", answers), false);
    BootstrapOptions none;
    none.resamples = 0;
    return score_answers(loaded_, &answers_, none);
  }
  std::string load_error(const std::string& suite_json) {
    const std::string path = dir_.write("bad.json", suite_json);
    try {
      (void)load_suite(path);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  testing::TempDir dir_;
  LoadedSuite loaded_;
  AnswerSet answers_;
};

const char* kCalcLine =
    "{\"id\": \"c1\", \"task\": \"calculation\", \"image\": \"img.png\", \"quantity\": \"ctr\", "
    "\"reference\": 0.5}\n";

// Before: mae was null but entered the average as 1 - min(1, max(0, NaN)) = 1.0: average 100.
TEST_F(NullScoresTest, EmptyTaskMakesThePrimaryAndTheAverageNull) {
  const ScoredSuite s = score("calculation", "[\"mae\", \"acc_within\"]", "");
  ASSERT_EQ(s.tasks.size(), 1u);
  const TaskResult& t = s.tasks[0];
  for (const auto& m : t.metrics) {
    EXPECT_TRUE(std::isnan(m.score)) << m.id;
    EXPECT_THAT(m.null_reason, HasSubstr("no valid record")) << m.id;
  }
  EXPECT_TRUE(std::isnan(t.primary_value));
  const SuiteSummary summary = summarize_suite(s.tasks);
  EXPECT_TRUE(std::isnan(summary.score));
  EXPECT_THAT(summary.null_reason, HasSubstr("calculation (mae)"));
  const nlohmann::json doc = results_json(nlohmann::json::object(), s.tasks, summary);
  EXPECT_TRUE(doc["suite"]["score"].is_null());
  EXPECT_TRUE(doc["suite"]["primary"]["calculation"].is_null());
  EXPECT_THAT(doc["suite"]["null_reason"].get<std::string>(), HasSubstr("calculation"));
  EXPECT_THAT(doc["tasks"]["calculation"]["metrics"]["mae"]["null_reason"].get<std::string>(),
              HasSubstr("no valid record"));
}

// Before: a string reference made every record invalid and the suite average *rose*.
TEST_F(NullScoresTest, AllInvalidTaskMakesTheAverageNull) {
  const ScoredSuite s = score("calculation", "[\"mae\"]",
                              "{\"id\": \"c1\", \"task\": \"calculation\", \"image\": \"img.png\", "
                              "\"quantity\": \"ctr\", \"reference\": \"0.5\"}\n");
  EXPECT_EQ(s.tasks[0].counts.invalid, 1u);
  EXPECT_TRUE(std::isnan(summarize_suite(s.tasks).score));
}

// An answer to an invalid record answers a record the suite has: it is not reported as an answer to
// no record (the warning said "ids that no split of the suite has" for it), and an unknown id is.
TEST_F(NullScoresTest, AnswersToInvalidRecordsAreNotUnknown) {
  const ScoredSuite s = score("calculation", "[\"mae\"]",
                              "{\"id\": \"c1\", \"task\": \"calculation\", \"image\": \"img.png\", "
                              "\"quantity\": \"ctr\", \"reference\": \"0.5\"}\n"
                              "{\"id\": \"c2\", \"task\": \"calculation\", \"image\": \"img.png\", "
                              "\"quantity\": \"ctr\", \"reference\": 0.5}\n",
                              "{\"id\": \"c1\", \"prediction\": \"0.5\"}\n{\"id\": \"c2\", \"prediction\": \"0.5\"}\n"
                              "{\"id\": \"c3\", \"prediction\": \"0.5\"}\n");
  EXPECT_EQ(s.tasks[0].counts.invalid, 1u);
  EXPECT_EQ(s.unknown_ids, std::vector<std::string>{"c3"});
}

// Before: bleu_1, bleu_4, rouge_l, sacrebleu and sentence_bleu_4 were 0.0 with nothing scored.
TEST_F(NullScoresTest, TextMetricsWithNoEligibleSampleAreNull) {
  const ScoredSuite s = score(
      "report_generation",
      "[\"bleu_1\", \"bleu_4\", \"rouge_l\", \"sacrebleu\", \"sentence_bleu_4\", \"cider_d\", "
      "\"rouge_l_coco\", \"token_f1\", \"exact_match\"]",
      "");
  for (const auto& m : s.tasks[0].metrics) {
    EXPECT_TRUE(std::isnan(m.score)) << m.id << " = " << m.score;
    EXPECT_FALSE(m.null_reason.empty()) << m.id;
    EXPECT_TRUE(m.details.is_null()) << m.id;
  }
}

// A model that answered nothing still gets a score: every sample is eligible and wrong.
TEST_F(NullScoresTest, UnansweredSamplesScoreAsWrongNotNull) {
  const ScoredSuite s = score("calculation", "[\"mae\", \"acc_within\"]", kCalcLine);
  EXPECT_DOUBLE_EQ(s.tasks[0].metrics[0].score, 0.5);  // worst error inside [0, 1]
  EXPECT_DOUBLE_EQ(s.tasks[0].metrics[1].score, 0.0);
  EXPECT_FALSE(std::isnan(summarize_suite(s.tasks).score));
}

// A question-type metric on a split without that question type has no eligible sample.
TEST_F(NullScoresTest, ClosedMetricOnOpenQuestionsIsNull) {
  const ScoredSuite s = score("vqa", "[\"closed_accuracy\", \"open_token_f1\"]",
                              "{\"id\": \"q1\", \"task\": \"vqa\", \"image\": \"img.png\", \"question\": "
                              "\"Where?\", \"answer_type\": \"open\", \"reference\": \"left lung\"}\n",
                              "{\"id\": \"q1\", \"prediction\": \"left lung\"}\n");
  EXPECT_TRUE(std::isnan(s.tasks[0].metrics[0].score));
  EXPECT_THAT(s.tasks[0].metrics[0].null_reason, HasSubstr("applies to"));
  EXPECT_DOUBLE_EQ(s.tasks[0].metrics[1].score, 1.0);
}

TEST(PrimaryValue, NullStaysNullUnderEveryTransform) {
  std::string transform;
  for (bool higher : {true, false})
    for (bool bounded : {true, false}) {
      MetricResult m;
      m.id = "x";
      m.score = std::nan("");
      m.higher_is_better = higher;
      m.bounded = bounded;
      EXPECT_TRUE(std::isnan(primary_value(m, transform))) << higher << bounded;
    }
}

// Before: "metrics": ["mae", "bleu_4"] on calculation printed bleu_4 0.0000 for perfect answers.
TEST_F(NullScoresTest, InapplicableMetricIsRefusedOnLoadWithItsPlace) {
  const std::string error = load_error(
      "{\"name\": \"t\", \"tasks\": [{\"task\": \"calculation\", \"split\": \"s.jsonl\", "
      "\"metrics\": [\"mae\", \"bleu_4\"]}]}");
  EXPECT_THAT(error, HasSubstr("bad.json: tasks[0].metrics[1]: 'bleu_4' does not apply to calculation "
                               "(applies: report_generation, reg, vqa)"));
}

// Every registered metric on every task: accepted exactly when its answer kinds include the
// task's, and every task's default metrics apply to it.
TEST_F(NullScoresTest, EveryTaskMetricPairIsAcceptedExactlyWhenItApplies) {
  int refused = 0, accepted = 0;
  for (const Task* task : all_tasks()) {
    for (const auto& spec : task->default_metrics())
      EXPECT_TRUE(make_metric(spec.name, spec.params)->applies_to().contains(task->answer_kind()))
          << task->name() << " default " << spec.name;
    for (const MetricInfo& info : all_metrics()) {
      if (info.name == "meteor") continue;  // unavailable: refused for every task
      const std::string error = load_error(
          "{\"name\": \"t\", \"tasks\": [{\"task\": \"" + std::string(task->name()) +
          "\", \"split\": \"s.jsonl\", \"metrics\": [\"" + std::string(info.name) + "\"]}]}");
      const bool applies = make_metric(info.name, nlohmann::json::object())->applies_to().contains(task->answer_kind());
      EXPECT_EQ(error.empty(), applies) << task->name() << " x " << info.name << ": " << error;
      (applies ? accepted : refused)++;
    }
  }
  EXPECT_EQ(std::size_t(accepted + refused), all_tasks().size() * (all_metrics().size() - 1));
  EXPECT_GT(refused, 0);
}

// Before: "internal error: [json.exception.out_of_range.406] ..." naming neither file nor field.
TEST_F(NullScoresTest, OverflowingNumberNamesTheFileAndTheField) {
  const std::string error = load_error(
      "{\"name\": \"t\",\n \"tasks\": [{\"task\": \"calculation\", \"split\": \"s.jsonl\",\n"
      "  \"metrics\": [{\"name\": \"acc_within\", \"params\": {\"tolerance\": 1e400}}]}]}");
  EXPECT_THAT(error, HasSubstr("bad.json"));
  EXPECT_THAT(error, HasSubstr("line 3"));
  EXPECT_THAT(error, HasSubstr("tasks[0].metrics[0].params.tolerance"));
  EXPECT_THAT(error, HasSubstr("finite"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("json.exception")));
}

}  // namespace
}  // namespace imaxbench
