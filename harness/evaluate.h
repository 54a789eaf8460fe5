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

#include "core/answers.h"
#include "metrics/bootstrap.h"
#include "data/split_reader.h"
#include "data/suite.h"
#include "metrics/metric.h"
#include "metrics/task_result.h"

namespace imaxbench {

// Everything computed per sample; kept so compare/bootstrap can resample without re-parsing.
struct TaskEvaluation {
  const SuiteTask* suite_task = nullptr;
  std::vector<const Sample*> samples;
  std::vector<Prediction> predictions;
  std::vector<std::unique_ptr<Metric>> metrics;  // same order as suite_task->metrics
  std::vector<MetricRows> rows;                  // one per metric
};

// Parses answers and computes metric rows. `answers` may be null (every sample missing).
TaskEvaluation compute_task(const SuiteTask& suite_task, const SplitData& split,
                            const AnswerSet* answers);

// Scores the rows, with bootstrap intervals when options.resamples > 0.
TaskResult summarize_task(const TaskEvaluation& eval, const SplitData& split,
                          const BootstrapOptions& options);

}  // namespace imaxbench
