// compare_runs on a small two-task suite written to a temp folder: deltas, McNemar counts, the
// multi-task average, comparability checks and the regression gate.
#include "harness/compare_runs.h"
#include "results/compare.h"

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "results/result_sink.h"
#include "harness/score_suite.h"
#include "core/error.h"
#include "test_files.h"

namespace imaxbench {
namespace {

using testing::TempDir;

const char* const kGrades[] = {"none", "vascular congestion", "interstitial edema", "alveolar edema"};
constexpr int kN = 60;  // samples per task, two per image, both tasks on the same 30 images

class CompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int k = 0; k < kN / 2; ++k) dir_.write("img_" + std::to_string(k) + ".png", testing::png_header_bytes(64, 64));
    std::string cls, vqa;
    for (int i = 0; i < kN; ++i) {
      const std::string image = "img_" + std::to_string(i / 2) + ".png";
      cls += R"({"id": "c)" + std::to_string(i) + R"(", "task": "multiclass_classification", "image": ")" + image +
             R"(", "reference": ")" + kGrades[i % 4] + "\"}\n";
      vqa += R"({"id": "v)" + std::to_string(i) + R"(", "task": "vqa", "image": ")" + image +
             R"(", "question": "Is there cardiomegaly?", "answer_type": "closed", "reference": ")" +
             (i % 3 ? "no" : "yes") + "\"}\n";
    }
    dir_.write("cls.jsonl", cls);
    dir_.write("vqa.jsonl", vqa);
    suite_ = dir_.write("suite.json", R"({"name": "cmp", "version": 1, "tasks": [
      {"task": "multiclass_classification", "split": "cls.jsonl", "primary_metric": "accuracy"},
      {"task": "vqa", "split": "vqa.jsonl", "primary_metric": "closed_accuracy"}]})");
  }

  // A run folder whose model gets classification sample i right when i % 10 < right_of_10, and
  // every VQA answer right except every fifth.
  std::string make_run(const std::string& name, int right_of_10) {
    std::string answers;
    for (int i = 0; i < kN; ++i) {
      const int grade = i % 10 < right_of_10 ? i % 4 : (i % 4 + 1) % 4;
      answers += R"({"id": "c)" + std::to_string(i) + R"(", "prediction": ")" + kGrades[grade] + "\"}\n";
      const bool yes = (i % 3 == 0) != (i % 5 == 0);
      answers += R"({"id": "v)" + std::to_string(i) + R"(", "prediction": ")" + (yes ? "yes" : "no") + "\"}\n";
    }
    const std::string journal = dir_.write(name + "/samples.jsonl", answers);
    LoadedSuite loaded = load_suite_splits(suite_, "", SplitOptions{});
    AnswerSet set = read_answers(journal, true);
    BootstrapOptions b;
    b.resamples = 0;
    ScoredSuite scored = score_answers(loaded, &set, b);
    nlohmann::json context = base_context("cmp", loaded.suite.sha256, "test", "none", {{"suite_path", suite_}});
    dir_.write(name + "/results.json", results_json(context, scored.tasks, summarize_suite(scored.tasks)).dump());
    return dir_.path() + "/" + name;
  }

  ComparisonReport compare(const std::string& a, const std::string& b, int resamples = 1000) {
    CompareOptions o;
    o.bootstrap.resamples = resamples;
    return compare_runs(load_run_source(a, {}), load_run_source(b, {}), o);
  }

  static const MetricComparison& metric(const ComparisonReport& r, const std::string& task, const std::string& id) {
    for (const auto& t : r.tasks)
      for (const auto& m : t.metrics)
        if (t.task == task && m.id == id) return m;
    throw std::runtime_error("no " + task + "/" + id);
  }

  TempDir dir_;
  std::string suite_;
};

TEST_F(CompareTest, DeltasMcNemarAndAverage) {
  const std::string a = make_run("a", 6), b = make_run("b", 9);
  ComparisonReport r = compare(a, b);
  EXPECT_TRUE(r.differences.empty());
  const auto& acc = metric(r, "multiclass_classification", "accuracy");
  EXPECT_DOUBLE_EQ(acc.paired.a, 0.6);
  EXPECT_DOUBLE_EQ(acc.paired.b, 0.9);
  EXPECT_NEAR(acc.paired.delta, 0.3, 1e-12);
  EXPECT_TRUE(acc.paired.has_ci);
  EXPECT_LT(acc.paired.ci95[0], 0.3);
  EXPECT_GT(acc.paired.ci95[1], 0.3);
  EXPECT_LT(acc.paired.p_value, 0.05);
  ASSERT_TRUE(acc.mcnemar);
  EXPECT_EQ(acc.mcnemar->a_right_b_wrong, 0u);
  EXPECT_EQ(acc.mcnemar->a_wrong_b_right, 18u);  // i % 10 in {6, 7, 8}
  EXPECT_NEAR(acc.mcnemar->p_value, 2.0 / 262144.0, 1e-15);  // 2 * 0.5^18
  EXPECT_FALSE(metric(r, "multiclass_classification", "kappa_quadratic").mcnemar);  // not 0/1 per sample

  const auto& closed = metric(r, "vqa", "closed_accuracy");
  EXPECT_EQ(closed.paired.delta, 0);
  EXPECT_EQ(closed.paired.p_value, 1.0);  // identical answers
  ASSERT_TRUE(closed.mcnemar);
  EXPECT_EQ(closed.mcnemar->a_right_b_wrong + closed.mcnemar->a_wrong_b_right, 0u);

  // The average of primary metrics x100 equals what the results files recorded.
  ASSERT_TRUE(r.average);
  std::ifstream ra(a + "/results.json"), rb(b + "/results.json");
  EXPECT_NEAR(r.average->a, nlohmann::json::parse(ra)["suite"]["score"].get<double>(), 1e-9);
  EXPECT_NEAR(r.average->b, nlohmann::json::parse(rb)["suite"]["score"].get<double>(), 1e-9);
  EXPECT_NEAR(r.average->delta, 15.0, 1e-9);  // (30 + 0) / 2 points
  EXPECT_LT(r.average->ci95[1] - r.average->ci95[0], 2 * (acc.paired.ci95[1] - acc.paired.ci95[0]) * 100);
  EXPECT_GT(r.average->ci95[0], 0);
}

TEST_F(CompareTest, GateFailsOnlyOnASignificantDropBeyondDelta) {
  const std::string good = make_run("good", 9), bad = make_run("bad", 6);
  ComparisonReport worse = compare(good, bad);
  GateOptions g;
  g.fail_if_worse = 1.0;
  EXPECT_TRUE(evaluate_gate(worse, g).failed);
  g.fail_if_worse = 20.0;  // the average drops 15 points: not more than 20
  EXPECT_FALSE(evaluate_gate(worse, g).failed);
  g.gate_tasks = {"multiclass_classification"};  // that task drops 30 points
  EXPECT_TRUE(evaluate_gate(worse, g).failed);
  g.gate_tasks = {"vqa"};
  EXPECT_FALSE(evaluate_gate(worse, g).failed);
  g.gate_tasks = {"rec"};
  EXPECT_THROW(evaluate_gate(worse, g), UsageError);

  ComparisonReport better = compare(bad, good);
  g.gate_tasks = {"multiclass_classification"};
  g.fail_if_worse = 0.0;
  EXPECT_FALSE(evaluate_gate(better, g).failed);
}

TEST_F(CompareTest, SameSeedSameReport) {
  const std::string a = make_run("a", 6), b = make_run("b", 8);
  EXPECT_EQ(compare_json(compare(a, b, 300), {}).dump(), compare_json(compare(a, b, 300), {}).dump());
}

TEST_F(CompareTest, ReportsSplitAndSignatureDifferences) {
  const std::string a = make_run("a", 6), b = make_run("b", 8);
  auto edit = [&](const std::string& run, auto change) {
    std::ifstream in(run + "/results.json");
    nlohmann::json j = nlohmann::json::parse(in);
    change(j);
    std::ofstream(run + "/results.json") << j.dump();
  };
  edit(b, [](nlohmann::json& j) { j["tasks"]["vqa"]["metrics"]["closed_accuracy"]["signature"] = "closed_accuracy|v2"; });
  ComparisonReport r = compare(a, b, 50);
  ASSERT_EQ(r.differences.size(), 1u);
  EXPECT_NE(r.differences[0].find("signature"), std::string::npos);

  edit(b, [](nlohmann::json& j) { j["tasks"]["vqa"]["split_sha256"] = "0123456789abcdef"; });
  r = compare(a, b, 50);
  // Recorded split hashes differ, and B's recorded hash no longer matches the file.
  EXPECT_GE(r.differences.size(), 3u);
}

TEST_F(CompareTest, RecordedOnlyComparisonSeesEveryChange) {
  const std::string a = make_run("a", 6), b = make_run("b", 6);
  RunSourceOptions o;
  o.results_only = true;
  ComparisonReport same = compare_recorded(load_run_source(a, o), load_run_source(b, o));
  GateOptions g;
  g.fail_if_changed = 1e-9;
  EXPECT_FALSE(evaluate_gate(same, g).failed);
  const std::string c = make_run("c", 7);
  ComparisonReport moved = compare_recorded(load_run_source(a, o), load_run_source(c, o));
  GateOutcome out = evaluate_gate(moved, g);
  EXPECT_TRUE(out.failed);
  EXPECT_FALSE(out.reasons.empty());
}

TEST_F(CompareTest, MissingAnswersNameTheFix) {
  const std::string a = make_run("a", 6);
  std::filesystem::remove(a + "/samples.jsonl");
  try {
    load_run_source(a, {});
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--answers-a"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace imaxbench
