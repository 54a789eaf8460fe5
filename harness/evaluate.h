// Scoring one task of a suite: parse every answer with the task, compute every metric's
// per-sample statistics in parallel (TBB), sum them in sample order and score. The parallel parts
// write into per-sample slots only, so 1 and N threads give bit-identical results.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/answers.h"
#include "harness/bootstrap.h"
#include "harness/split_reader.h"
#include "harness/suite.h"
#include "metrics/metric.h"

namespace imaxbench {

struct SampleCounts {
  std::size_t total = 0;     // records in the split, valid or not
  std::size_t scored = 0;    // answered and parsed
  std::size_t missing = 0;   // no answer for the id
  std::size_t unparsed = 0;  // answered, the parser could not read it
  std::size_t failed = 0;    // the backend reported an error for the sample
  std::size_t invalid = 0;   // the record itself is bad (not scored)
};

// Everything computed per sample; kept so compare/bootstrap can resample without re-parsing.
struct TaskEvaluation {
  const SuiteTask* suite_task = nullptr;
  std::vector<const Sample*> samples;
  std::vector<Prediction> predictions;
  std::vector<std::unique_ptr<Metric>> metrics;  // same order as suite_task->metrics
  std::vector<MetricRows> rows;                  // one per metric
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

// Parses answers and computes metric rows. `answers` may be null (every sample missing).
TaskEvaluation compute_task(const SuiteTask& suite_task, const SplitData& split,
                            const AnswerSet* answers);

// Scores the rows, with bootstrap intervals when options.resamples > 0.
TaskResult summarize_task(const TaskEvaluation& eval, const SplitData& split,
                          const BootstrapOptions& options);

// The suite's value of a task's primary metric, higher is better (see TaskResult::primary_value);
// NaN when the metric has none.
double primary_value(const MetricResult& metric, std::string& transform);

}  // namespace imaxbench
