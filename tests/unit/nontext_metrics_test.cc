// Registry entries, parameter errors and unparsed/missing answers of the classification,
// regression, box and VQA metrics: a typo in a suite is an error, and an answer that cannot be
// scored is never scored as right (or as zero error).
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/metric.h"
#include "core/error.h"
#include "tasks/task.h"

namespace imaxbench {
namespace {

using nlohmann::json;

double score_one(const Metric& metric, const Sample& sample, const Prediction& prediction) {
  std::vector<double> row(metric.num_stats(), 0.0);
  metric.sample_stats(sample, prediction, row);
  return metric.score(row);
}

// The ways a prediction can be unscorable; each carries plausible-looking garbage.
std::vector<Prediction> unscorable() {
  Prediction missing;  // present=false
  Prediction unparsed;
  unparsed.present = true;
  Prediction failed;
  failed.present = true;
  failed.error = "backend timeout";
  return {missing, unparsed, failed};
}

Sample calculation(double ref) {
  Sample s;
  s.id = "c";
  s.task = "calculation";
  s.kind = find_task(s.task)->answer_kind();
  s.quantity = "ctr";
  s.ref_number = ref;
  return s;
}

TEST(NontextMetrics, AllRegisteredWithSignatureAndDirection) {
  const std::vector<std::string> names = {
      "mae", "rmse", "acc_within", "cardiomegaly_agreement", "accuracy", "exact_match",
      "f1_macro", "f1_micro", "f1_samples", "kappa_quadratic", "acc_iou_0.5", "miou",
      "closed_accuracy", "closed_accuracy_contains", "open_token_f1", "open_recall", "token_f1"};
  for (const auto& name : names) {
    auto metric = make_metric(name, json::object());
    ASSERT_TRUE(metric) << name;
    EXPECT_NE(metric->signature().find("|v1"), std::string::npos) << name;
    EXPECT_GT(metric->num_stats(), 0u) << name;
    // Nothing scored: undefined, not a silent 0.
    std::vector<double> zeros(metric->num_stats(), 0.0);
    EXPECT_TRUE(std::isnan(metric->score(zeros))) << name;
  }
  EXPECT_FALSE(make_metric("mae", json::object())->higher_is_better());
  EXPECT_FALSE(make_metric("rmse", json::object())->bounded());
  EXPECT_TRUE(make_metric("miou", json::object())->higher_is_better());
}

TEST(NontextMetrics, SignaturesNameTheirSettings) {
  EXPECT_EQ(make_metric("mae", json::object())->signature(), "mae|unparsed:worst|v1");
  EXPECT_EQ(make_metric("acc_iou_0.5", json::object())->signature(),
            "acc_iou|thr:0.5|cmp:gt|iou:pixel_inclusive|unparsed:0|v1");
  EXPECT_EQ(make_metric("acc_iou_0.5", {{"threshold", 0.7}, {"iou_convention", "continuous"}})
                ->signature(),
            "acc_iou|thr:0.7|cmp:gt|iou:continuous|unparsed:0|v1");
  EXPECT_EQ(make_metric("acc_within", {{"tolerance", 0.1}})->signature(),
            "acc_within|tol:0.1|slack:1e-12|unparsed:wrong|v1");
  EXPECT_NE(make_metric("open_token_f1", {{"flavor", "unimed"}})->signature().find("flavor:unimed"),
            std::string::npos);
}

TEST(NontextMetrics, BadParametersAreErrors) {
  const std::vector<std::pair<const char*, json>> bad = {
      {"mae", {{"tolerance", 0.1}}},
      {"acc_within", {{"tolerance", -0.1}}},
      {"acc_within", {{"tolerance", "0.1"}}},
      {"acc_within", {{"tol", 0.1}}},
      {"cardiomegaly_agreement", {{"threshold", true}}},
      {"acc_iou_0.5", {{"threshold", 1.0}}},
      {"acc_iou_0.5", {{"threshold", -0.5}}},
      {"acc_iou_0.5", {{"iou_convention", "coco"}}},
      {"miou", {{"threshold", 0.5}}},
      {"open_token_f1", {{"flavor", "bleu"}}},
      {"token_f1", {{"flavour", "squad"}}},
      {"f1_macro", {{"average", "macro"}}},
      {"kappa_quadratic", {{"weights", "linear"}}},
      {"closed_accuracy", json::array()},
  };
  for (const auto& [name, params] : bad)
    EXPECT_THROW(make_metric(name, params), Error) << name << " " << params.dump();
  try {
    make_metric("acc_iou_0.5", {{"iou_convention", "coco"}});
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pixel_inclusive|continuous"), std::string::npos) << e.what();
  }
}

TEST(NontextMetrics, UnscorableCalculationNeverHasZeroError) {
  auto mae = make_metric("mae", json::object());
  auto rmse = make_metric("rmse", json::object());
  auto within = make_metric("acc_within", json::object());
  auto agree = make_metric("cardiomegaly_agreement", json::object());
  for (double ref : {0.0, 0.3, 0.5, 0.62, 1.0}) {
    for (Prediction p : unscorable()) {
      p.number = ref;  // garbage equal to the reference
      const double worst = std::max(ref, 1 - ref);
      EXPECT_DOUBLE_EQ(score_one(*mae, calculation(ref), p), worst) << ref;
      EXPECT_DOUBLE_EQ(score_one(*rmse, calculation(ref), p), worst) << ref;
      EXPECT_EQ(score_one(*within, calculation(ref), p), 0.0);
      EXPECT_EQ(score_one(*agree, calculation(ref), p), 0.0);
    }
    Prediction nan;
    nan.present = nan.parsed = true;
    nan.number = std::nan("");
    EXPECT_DOUBLE_EQ(score_one(*mae, calculation(ref), nan), std::max(ref, 1 - ref));
  }
}

TEST(NontextMetrics, MetricsSkipOtherTasks) {
  Sample rec;
  rec.task = "rec";
  rec.kind = find_task(rec.task)->answer_kind();
  rec.ref_box = {0, 0, 10, 10};
  Prediction p;
  p.present = p.parsed = true;
  p.box = rec.ref_box;
  EXPECT_TRUE(std::isnan(score_one(*make_metric("mae", json::object()), rec, p)));
  EXPECT_DOUBLE_EQ(score_one(*make_metric("miou", json::object()), rec, p), 1.0);
  EXPECT_TRUE(std::isnan(score_one(*make_metric("miou", json::object()), calculation(0.5), p)));
}

TEST(NontextMetrics, UnscorableClassesAndBoxesAndTextsAreWrong) {
  Sample mc;
  mc.task = "multiclass_classification";
  mc.kind = find_task(mc.task)->answer_kind();
  mc.classes = {"none", "vascular congestion", "interstitial edema", "alveolar edema"};
  mc.ref_class = 1;
  Sample ml;
  ml.task = "multilabel_classification";
  ml.kind = find_task(ml.task)->answer_kind();
  ml.classes = {"a", "b", "c"};
  ml.ref_labels = {0, 0, 0};  // "no finding": an all-zero answer row would match it
  Sample rec;
  rec.task = "rec";
  rec.kind = find_task(rec.task)->answer_kind();
  rec.ref_box = {5, 5, 50, 50};
  Sample vqa;
  vqa.task = "vqa";
  vqa.kind = find_task(vqa.task)->answer_kind();
  vqa.answer_type = "closed";
  vqa.ref_texts = {"yes"};
  Sample open = vqa;
  open.answer_type = "open";
  open.ref_texts = {"the"};  // normalizes to nothing, like an empty answer
  for (Prediction p : unscorable()) {
    p.class_index = 1;
    p.labels = {0, 0, 0};
    p.box = rec.ref_box;
    p.text = "yes";
    EXPECT_EQ(score_one(*make_metric("accuracy", json::object()), mc, p), 0.0);
    EXPECT_EQ(score_one(*make_metric("f1_micro", json::object()), mc, p), 0.0);
    EXPECT_EQ(score_one(*make_metric("accuracy", json::object()), ml, p), 0.0);
    EXPECT_EQ(score_one(*make_metric("exact_match", json::object()), ml, p), 0.0);
    EXPECT_EQ(score_one(*make_metric("f1_samples", json::object()), ml, p), 0.0);
    EXPECT_EQ(score_one(*make_metric("acc_iou_0.5", json::object()), rec, p), 0.0);
    EXPECT_EQ(score_one(*make_metric("miou", json::object()), rec, p), 0.0);
    for (const char* name : {"closed_accuracy", "closed_accuracy_contains", "exact_match", "token_f1"})
      EXPECT_EQ(score_one(*make_metric(name, json::object()), vqa, p), 0.0) << name;
    p.text.clear();
    for (const char* name : {"open_token_f1", "open_recall", "exact_match", "token_f1"})
      EXPECT_EQ(score_one(*make_metric(name, json::object()), open, p), 0.0) << name;
  }
}

TEST(NontextMetrics, KappaScoresUnparsedAsTheFarthestClass) {
  auto kappa = make_metric("kappa_quadratic", json::object());
  Sample s;
  s.task = "multiclass_classification";
  s.kind = find_task(s.task)->answer_kind();
  s.classes = {"0", "1", "2", "3"};
  std::vector<double> sums(kappa->num_stats(), 0.0), parsed_sums = sums;
  // Truths 0,1,2,3; an unparsed answer must score exactly like answering 3,3,0,0.
  const int farthest[] = {3, 3, 0, 0};
  for (int t = 0; t < 4; ++t) {
    s.ref_class = t;
    std::vector<double> row(sums.size(), 0.0), parsed_row = row;
    kappa->sample_stats(s, Prediction{}, row);
    Prediction p;
    p.present = p.parsed = true;
    p.class_index = farthest[t];
    kappa->sample_stats(s, p, parsed_row);
    for (std::size_t k = 0; k < sums.size(); ++k) sums[k] += row[k], parsed_sums[k] += parsed_row[k];
  }
  EXPECT_EQ(sums, parsed_sums);
  EXPECT_LT(kappa->score(sums), 0.0);
}

TEST(NontextMetrics, F1RejectsMixedClassListsAndTooManyClasses) {
  auto f1 = make_metric("f1_macro", json::object());
  Prediction p;
  p.present = p.parsed = true;
  p.class_index = 0;
  Sample a;
  a.task = "multiclass_classification";
  a.kind = find_task(a.task)->answer_kind();
  a.classes = {"x", "y"};
  a.ref_class = 0;
  Sample b = a;
  b.classes = {"x", "z"};
  std::vector<double> sums(f1->num_stats(), 0.0), row = sums;
  f1->sample_stats(a, p, row);
  for (std::size_t k = 0; k < sums.size(); ++k) sums[k] += row[k];
  std::fill(row.begin(), row.end(), 0.0);
  f1->sample_stats(b, p, row);
  for (std::size_t k = 0; k < sums.size(); ++k) sums[k] += row[k];
  EXPECT_THROW(f1->score(sums), Error);

  Sample big = a;
  big.classes.assign(65, "c");
  std::vector<double> big_row(f1->num_stats(), 0.0);
  EXPECT_NO_THROW(f1->sample_stats(big, p, big_row));
  EXPECT_THROW(f1->score(big_row), Error);
}

TEST(NontextMetrics, AccWithinCountsDecimalTiesAsHits) {
  auto within = make_metric("acc_within", json::object());
  Prediction p;
  p.present = p.parsed = true;
  p.number = 0.55;
  EXPECT_EQ(score_one(*within, calculation(0.5), p), 1.0);
  p.number = 0.5500001;
  EXPECT_EQ(score_one(*within, calculation(0.5), p), 0.0);
}

}  // namespace
}  // namespace imaxbench
