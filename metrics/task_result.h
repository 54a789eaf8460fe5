// What scoring one task yields: sample counts, each metric's score and interval, and the value
// the suite average takes from it. Produced by the harness (harness/evaluate.h), read by every
// sink and by compare (results/), which therefore need nothing from the harness.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace imaxbench {

struct SampleCounts {
  std::size_t total = 0;     // records in the split, valid or not
  std::size_t scored = 0;    // answered and parsed
  std::size_t missing = 0;   // no answer for the id
  std::size_t unparsed = 0;  // answered, the parser could not read it
  std::size_t failed = 0;    // the backend reported an error for the sample
  std::size_t invalid = 0;   // the record itself is bad (not scored)
};

struct MetricResult {
  std::string id, name, signature;
  double score = 0;          // NaN (null in results) when there is no score; null_reason says why
  std::string null_reason;  // empty when the score is a number
  bool higher_is_better = true;
  bool bounded = true;
  std::optional<std::array<double, 2>> ci95;
  nlohmann::json details;  // null when the metric has none
};

struct TaskResult {
  std::string task;
  int task_version = 1;
  std::string split;
  std::string split_sha256;
  SampleCounts counts;
  std::vector<MetricResult> metrics;
  std::string primary_metric;
  double primary_value = 0;       // what enters the suite average, higher is better, in [0, 1];
                                  // NaN when the primary metric has no score
  std::string primary_transform;  // "identity" or e.g. "1-min(1,mae)"
  double weight = 1;
  std::vector<std::string> problems;  // invalid records, first few
};

// The suite's value of a task's primary metric, higher is better (see TaskResult::primary_value);
// NaN when the metric has none.
double primary_value(const MetricResult& metric, std::string& transform);

}  // namespace imaxbench
