// Test helper: scores a metric over samples the way the harness does (sample_stats per sample
// into a zero-filled row, rows summed in order, score of the sums).
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metric.h"
#include "core/sample.h"

namespace imaxbench::testing {

inline MetricRows metric_rows(const Metric& metric, const std::vector<Sample>& samples,
                              const std::vector<Prediction>& predictions) {
  MetricRows rows;
  rows.width = metric.num_stats();
  rows.rows.assign(samples.size() * rows.width, 0.0);
  for (std::size_t i = 0; i < samples.size(); ++i)
    metric.sample_stats(samples[i], predictions[i], {rows.rows.data() + i * rows.width, rows.width});
  return rows;
}

inline std::vector<double> metric_sums(const Metric& metric, const std::vector<Sample>& samples,
                                       const std::vector<Prediction>& predictions) {
  const MetricRows rows = metric_rows(metric, samples, predictions);
  std::vector<double> sums(rows.width, 0.0);
  sum_all_rows(rows, sums);
  return sums;
}

inline double metric_score(const Metric& metric, const std::vector<Sample>& samples,
                           const std::vector<Prediction>& predictions) {
  return metric.score(metric_sums(metric, samples, predictions));
}

inline nlohmann::json load_test_json(const std::string& relative) {
  const std::string path = std::string(IMAXBENCH_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

}  // namespace imaxbench::testing
