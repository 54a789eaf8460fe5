// Comparing two runs (`imaxbench compare A B`): per task and metric, and for the multi-task
// average, A, B, B-A with a paired bootstrap 95% CI and p-value, McNemar counts for 0/1 metrics,
// and the regression gate. The re-scoring comparison (harness/compare_runs.h) fills the same
// report; this module holds its shape, the recorded-numbers comparison, the gate and rendering.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/bootstrap.h"
#include "results/paired_bootstrap.h"
#include "results/run_source.h"

namespace imaxbench {

struct MetricComparison {
  std::string id, signature;
  bool higher_is_better = true;
  bool is_primary = false;
  PairedResult paired;            // native units of the metric
  std::optional<McNemar> mcnemar;  // accuracy-type metrics only
};

struct TaskComparison {
  std::string task, primary_metric, primary_transform;
  double weight = 1;
  std::size_t n_common = 0, n_only_a = 0, n_only_b = 0;
  std::vector<MetricComparison> metrics;
  // The primary metric as it enters the suite average (higher is better), in points (x100).
  std::optional<PairedResult> primary_points;
};

struct ComparisonReport {
  std::string label_a, label_b;
  nlohmann::json context_a, context_b;
  // What makes the two runs incomparable: different split data or metric signatures. `compare`
  // refuses to go on while this is not empty, unless --force.
  std::vector<std::string> differences;
  std::vector<std::string> notes;  // tasks or metrics on one side only, re-scoring drift
  bool rescored = true;            // false: recorded numbers only, no intervals
  std::vector<TaskComparison> tasks;
  std::optional<PairedResult> average;  // multi-task average, points
  BootstrapOptions bootstrap;
  double alpha = 0.05;
};

// Split-hash and signature differences between two results documents (common tasks only).
std::vector<std::string> comparability_differences(const nlohmann::json& a, const nlohmann::json& b);

// Tasks both results documents have, in A's order; one note per task only one side has.
std::vector<std::string> common_tasks(const nlohmann::json& a, const nlohmann::json& b,
                                      std::vector<std::string>& notes);

// A report with both labels, contexts and comparability differences filled in.
ComparisonReport begin_comparison(const RunSource& a, const RunSource& b);

// Compares only the numbers two results documents recorded (no answers, no intervals): how
// nightly re-scoring of frozen answers detects metric-code drift.
ComparisonReport compare_recorded(const RunSource& a, const RunSource& b);

struct GateOptions {
  std::optional<double> fail_if_worse;   // points (x100) on the average and gated tasks' primary
  std::vector<std::string> gate_tasks;
  std::optional<double> fail_if_changed;  // any metric moving more than this, or any difference
};

struct GateOutcome {
  bool failed = false;
  std::vector<std::string> reasons;
};

// B is "significantly worse by more than DELTA" on an entry when B-A < -DELTA (in points, higher
// is better) and p < alpha. Throws UsageError for a gated task that is not in both runs.
GateOutcome evaluate_gate(const ComparisonReport& report, const GateOptions& gate);

std::string render_compare_table(const ComparisonReport& report, const GateOutcome& gate);
std::string render_compare_markdown(const ComparisonReport& report, const GateOutcome& gate);
nlohmann::json compare_json(const ComparisonReport& report, const GateOutcome& gate);

}  // namespace imaxbench
