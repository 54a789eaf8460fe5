// rec and text metrics against Python transcriptions of the published rules (Uni-Med's
// computeIoU, SQuAD's token F1, Uni-Med's calculate_f1score and substring accuracy) run on
// answers normalized by the official VQAv2 code: tests/data/box_vqa_vectors.json, written by
// tests/golden/gen_box_vqa_vectors.py.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/box_metrics.h"
#include "metrics/metric.h"
#include "tests/golden/metric_runner.h"
#include "tasks/task.h"

namespace imaxbench {
namespace {

using testing::load_test_json;
using testing::metric_score;

constexpr double kTol = 1e-12;

const nlohmann::json& vectors() {
  static const nlohmann::json data = load_test_json("tests/data/box_vqa_vectors.json");
  return data;
}

Box to_box(const nlohmann::json& v) { return Box{v[0], v[1], v[2], v[3]}; }

struct Data {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  std::vector<nlohmann::json> items;
};

// Unparsed answers alternate between missing and present-but-unparsed, carrying the reference
// as garbage that a metric must not read.
Data boxes() {
  Data d;
  std::size_t unparsed = 0;
  for (const auto& item : vectors()["boxes"]) {
    Sample s;
    s.id = "b" + std::to_string(d.samples.size());
    s.task = "rec";
    s.kind = find_task(s.task)->answer_kind();
    s.ref_box = to_box(item["ref"]);
    Prediction p;
    if (item["pred"].is_null()) {
      p.present = unparsed++ % 2 == 1;
      p.box = s.ref_box;
    } else {
      p.present = p.parsed = true;
      p.box = to_box(item["pred"]);
      p.n_boxes = 1;
    }
    d.samples.push_back(s);
    d.predictions.push_back(p);
    d.items.push_back(item);
  }
  return d;
}

Data texts() {
  Data d;
  std::size_t unparsed = 0;
  for (const auto& item : vectors()["texts"]) {
    Sample s;
    s.id = "t" + std::to_string(d.samples.size());
    s.task = item["task"];
    s.kind = find_task(s.task)->answer_kind();
    s.answer_type = item["answer_type"];
    s.ref_texts = item["refs"].get<std::vector<std::string>>();
    Prediction p;
    if (item["pred"].is_null()) {
      p.present = unparsed++ % 2 == 1;
      p.text = s.ref_texts.front();
    } else {
      p.present = p.parsed = true;
      p.text = item["pred"];
    }
    d.samples.push_back(s);
    d.predictions.push_back(p);
    d.items.push_back(item);
  }
  return d;
}

TEST(BoxGolden, IouPerSampleBothConventions) {
  const Data d = boxes();
  ASSERT_GE(d.samples.size(), 50u);
  for (const char* convention : {"pixel_inclusive", "continuous"}) {
    auto miou = make_metric("miou", {{"iou_convention", convention}});
    for (std::size_t i = 0; i < d.samples.size(); ++i) {
      const double want = d.items[i]["iou"][convention];
      const double one = metric_score(*miou, {d.samples[i]}, {d.predictions[i]});
      EXPECT_NEAR(one, want, kTol) << convention << " box " << i << ": " << d.items[i].dump();
      if (d.predictions[i].parsed) {
        EXPECT_NEAR(box_iou(d.predictions[i].box, d.samples[i].ref_box,
                            parse_iou_convention(convention)), want, kTol);
      }
    }
  }
}

TEST(BoxGolden, MeanIouAndAccuracyOverTheSet) {
  const Data d = boxes();
  for (const char* convention : {"pixel_inclusive", "continuous"}) {
    double sum = 0;
    for (const auto& item : d.items) sum += item["iou"][convention].get<double>();
    auto miou = make_metric("miou", {{"iou_convention", convention}});
    EXPECT_NEAR(metric_score(*miou, d.samples, d.predictions), sum / d.items.size(), kTol);
    for (double threshold : {0.5, 0.3, 0.0}) {
      double hits = 0;
      for (const auto& item : d.items) hits += item["iou"][convention].get<double>() > threshold;
      auto acc = make_metric("acc_iou_0.5", {{"threshold", threshold}, {"iou_convention", convention}});
      EXPECT_NEAR(metric_score(*acc, d.samples, d.predictions), hits / d.items.size(), kTol)
          << convention << " threshold " << threshold;
    }
  }
}

struct TextCheck {
  const char* metric;
  nlohmann::json params;
  const char* value;                 // key in the item's "values"
  const char* task;                  // required task, or nullptr for any
  const char* answer_type;           // required answer type, or nullptr for any
};

TEST(TextGolden, AnswerMetricsPerSampleAndOverTheSet) {
  const Data d = texts();
  ASSERT_GE(d.samples.size(), 60u);
  const nlohmann::json none = nlohmann::json::object();
  const std::vector<TextCheck> checks = {
      {"closed_accuracy", none, "exact", "vqa", "closed"},
      {"closed_accuracy_contains", none, "contains", "vqa", "closed"},
      {"open_token_f1", none, "f1_squad", "vqa", "open"},
      {"open_token_f1", {{"flavor", "unimed"}}, "f1_unimed", "vqa", "open"},
      {"open_recall", none, "recall", "vqa", "open"},
      {"token_f1", none, "f1_squad", nullptr, nullptr},
      {"token_f1", {{"flavor", "unimed"}}, "f1_unimed", nullptr, nullptr},
      {"exact_match", none, "exact", nullptr, nullptr},
  };
  for (const auto& check : checks) {
    auto metric = make_metric(check.metric, check.params);
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < d.samples.size(); ++i) {
      const auto& item = d.items[i];
      const bool eligible = (!check.task || item["task"] == check.task) &&
                            (!check.answer_type || item["answer_type"] == check.answer_type);
      const double one = metric_score(*metric, {d.samples[i]}, {d.predictions[i]});
      if (!eligible) {
        EXPECT_TRUE(std::isnan(one)) << check.metric << " must skip " << item.dump();
        continue;
      }
      const double want = item["values"][check.value];
      EXPECT_NEAR(one, want, kTol) << metric->signature() << ": " << item.dump();
      sum += want;
      ++n;
    }
    ASSERT_GT(n, 5u) << check.metric;
    EXPECT_NEAR(metric_score(*metric, d.samples, d.predictions), sum / n, kTol)
        << metric->signature();
  }
}

}  // namespace
}  // namespace imaxbench
