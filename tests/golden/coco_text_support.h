// Test helpers for the pycocoevalcap-flavoured metrics: corpora from
// tests/data/coco_text_vectors.json as samples, and scoring the way harness/evaluate.cc does it
// (rows and extras per sample, then score_subset over every index in order).
#pragma once

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metric.h"
#include "core/sample.h"

namespace imaxbench::testing {

struct CocoCorpus {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
};

// An empty hypothesis alternates between a missing prediction and a parsed empty answer; both
// must score as pycocoevalcap scores an empty caption.
inline CocoCorpus coco_corpus(const nlohmann::json& corpus) {
  CocoCorpus c;
  std::size_t empty = 0;
  for (const auto& item : corpus["samples"]) {
    Sample s;
    s.id = "r" + std::to_string(c.samples.size());
    s.kind = AnswerKind::kText;
    s.task = "report_generation";
    for (const auto& ref : item["refs"]) s.ref_texts.push_back(ref.get<std::string>());
    Prediction p;
    p.text = item["hyp"].get<std::string>();
    p.present = p.parsed = !(p.text.empty() && empty++ % 2 == 0);
    c.samples.push_back(std::move(s));
    c.predictions.push_back(std::move(p));
  }
  return c;
}

inline MetricRows coco_rows(const Metric& metric, const std::vector<Sample>& samples,
                            const std::vector<Prediction>& predictions) {
  MetricRows rows;
  rows.width = metric.num_stats();
  rows.rows.assign(samples.size() * rows.width, 0.0);
  std::vector<std::shared_ptr<const SampleExtra>> extras(samples.size());
  bool any = false;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    metric.sample_stats(samples[i], predictions[i], {rows.rows.data() + i * rows.width, rows.width});
    extras[i] = metric.sample_extra(samples[i], predictions[i]);
    any = any || extras[i] != nullptr;
  }
  if (any) rows.extras = std::move(extras);
  return rows;
}

inline std::vector<std::uint32_t> all_indices(std::size_t n) {
  std::vector<std::uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  return all;
}

inline double coco_score(const Metric& metric, const std::vector<Sample>& samples,
                         const std::vector<Prediction>& predictions) {
  const MetricRows rows = coco_rows(metric, samples, predictions);
  return metric.score_subset(rows, all_indices(samples.size()));
}

}  // namespace imaxbench::testing
