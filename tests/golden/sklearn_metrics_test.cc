// Classification and regression metrics against scikit-learn: tests/data/sklearn_vectors.json
// holds seeded inputs and sklearn's values (tests/golden/gen_sklearn_vectors.py, which also
// documents how unparsed answers are encoded for sklearn).
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/metric.h"
#include "tests/golden/metric_runner.h"
#include "tasks/task.h"

namespace imaxbench {
namespace {

using testing::load_test_json;
using testing::metric_score;
using testing::metric_sums;

constexpr double kTol = 1e-12;

const nlohmann::json& vectors() {
  static const nlohmann::json data = load_test_json("tests/data/sklearn_vectors.json");
  return data;
}

void expect_value(const nlohmann::json& expected, double actual, const std::string& what) {
  if (expected.is_null()) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": expected undefined (NaN), got " << actual;
  } else {
    EXPECT_NEAR(actual, expected.get<double>(), kTol) << what;
  }
}

// An unparsed answer alternates between missing and present-but-unparsed, each carrying garbage
// in its value fields that a metric must ignore.
Prediction unscorable(std::size_t nth) {
  Prediction p;
  p.present = nth % 2 == 1;
  p.parsed = false;
  return p;
}

std::vector<std::string> names(std::size_t k, const char* prefix) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < k; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

struct Case {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
};

Case multiclass(const nlohmann::json& c) {
  Case out;
  const std::size_t k = c.at("n_classes");
  std::size_t unparsed = 0;
  for (std::size_t i = 0; i < c.at("y_true").size(); ++i) {
    Sample s;
    s.id = "s" + std::to_string(i);
    s.task = "multiclass_classification";
    s.kind = find_task(s.task)->answer_kind();
    s.classes = names(k, "grade");
    s.ref_class = c["y_true"][i];
    const int guess = c["y_pred"][i];
    Prediction p;
    if (guess < 0) {
      p = unscorable(unparsed++);
      p.class_index = s.ref_class;  // garbage: must not count as correct
    } else {
      p.present = p.parsed = true;
      p.class_index = guess;
    }
    out.samples.push_back(std::move(s));
    out.predictions.push_back(std::move(p));
  }
  return out;
}

Case multilabel(const nlohmann::json& c) {
  Case out;
  const std::size_t k = c.at("n_labels");
  std::size_t unparsed = 0;
  for (std::size_t i = 0; i < c.at("y_true").size(); ++i) {
    Sample s;
    s.id = "s" + std::to_string(i);
    s.task = "multilabel_classification";
    s.kind = find_task(s.task)->answer_kind();
    s.classes = names(k, "finding");
    s.ref_labels = c["y_true"][i].get<std::vector<std::uint8_t>>();
    Prediction p;
    if (c["y_pred"][i].is_null()) {
      p = unscorable(unparsed++);
      p.labels = s.ref_labels;  // garbage: must be read as the all-zero row
    } else {
      p.present = p.parsed = true;
      p.labels = c["y_pred"][i].get<std::vector<std::uint8_t>>();
    }
    out.samples.push_back(std::move(s));
    out.predictions.push_back(std::move(p));
  }
  return out;
}

Case regression(const nlohmann::json& c) {
  Case out;
  std::size_t unparsed = 0;
  for (std::size_t i = 0; i < c.at("ref").size(); ++i) {
    Sample s;
    s.id = "s" + std::to_string(i);
    s.task = "calculation";
    s.kind = find_task(s.task)->answer_kind();
    s.quantity = "ctr";
    s.ref_number = c["ref"][i];
    Prediction p;
    if (c["pred"][i].is_null()) {
      p = unscorable(unparsed++);
      p.number = s.ref_number;  // garbage: must not score as zero error
    } else {
      p.present = p.parsed = true;
      p.number = c["pred"][i];
    }
    out.samples.push_back(std::move(s));
    out.predictions.push_back(std::move(p));
  }
  return out;
}

void check_metrics(const Case& data, const nlohmann::json& c,
                   std::initializer_list<std::pair<const char*, const char*>> metrics) {
  for (const auto& [metric_name, key] : metrics) {
    auto metric = make_metric(metric_name, nlohmann::json::object());
    expect_value(c["expected"].at(key), metric_score(*metric, data.samples, data.predictions),
                 c["name"].get<std::string>() + " " + metric_name);
  }
}

void check_per_class(const Case& data, const nlohmann::json& c) {
  auto metric = make_metric("f1_macro", nlohmann::json::object());
  const auto table = metric->details(metric_sums(*metric, data.samples, data.predictions));
  const auto& want = c["expected"]["per_class"];
  ASSERT_EQ(table.size(), want["f1"].size()) << c["name"];
  for (std::size_t i = 0; i < table.size(); ++i) {
    const std::string where = c["name"].get<std::string>() + " class " + std::to_string(i);
    EXPECT_NEAR(table[i]["precision"].get<double>(), want["precision"][i].get<double>(), kTol) << where;
    EXPECT_NEAR(table[i]["recall"].get<double>(), want["recall"][i].get<double>(), kTol) << where;
    EXPECT_NEAR(table[i]["f1"].get<double>(), want["f1"][i].get<double>(), kTol) << where;
    EXPECT_EQ(table[i]["support"].get<long long>(), want["support"][i].get<long long>()) << where;
    EXPECT_EQ(table[i]["averaged"].get<bool>(), want["averaged"][i].get<bool>()) << where;
    EXPECT_EQ(table[i]["label"], data.samples.front().classes[i]) << where;
  }
}

TEST(SklearnGolden, Multiclass) {
  ASSERT_GE(vectors()["multiclass"].size(), 10u);
  for (const auto& c : vectors()["multiclass"]) {
    const Case data = multiclass(c);
    check_metrics(data, c, {{"accuracy", "accuracy"}, {"exact_match", "accuracy"},
                            {"f1_macro", "f1_macro"}, {"f1_micro", "f1_micro"},
                            {"f1_samples", "f1_samples"}, {"kappa_quadratic", "kappa_quadratic"}});
    check_per_class(data, c);
  }
}

TEST(SklearnGolden, Multilabel) {
  ASSERT_GE(vectors()["multilabel"].size(), 10u);
  for (const auto& c : vectors()["multilabel"]) {
    const Case data = multilabel(c);
    check_metrics(data, c, {{"accuracy", "accuracy"}, {"exact_match", "accuracy"},
                            {"f1_macro", "f1_macro"}, {"f1_micro", "f1_micro"},
                            {"f1_samples", "f1_samples"}});
    check_per_class(data, c);
  }
}

TEST(SklearnGolden, Regression) {
  ASSERT_GE(vectors()["regression"].size(), 8u);
  ASSERT_EQ(vectors()["tolerance"].get<double>(), 0.05);
  ASSERT_EQ(vectors()["threshold"].get<double>(), 0.5);
  for (const auto& c : vectors()["regression"]) {
    const Case data = regression(c);
    check_metrics(data, c, {{"mae", "mae"}, {"rmse", "rmse"}, {"acc_within", "acc_within"},
                            {"cardiomegaly_agreement", "cardiomegaly_agreement"}});
  }
}

}  // namespace
}  // namespace imaxbench
