// The multi-task average's 95% interval for one run, drawn the way `compare` draws it: each
// resample takes whole images across all tasks at once (one image's samples of every task
// together, since they are not independent), scores every task's primary metric on its drawn
// samples from the per-sample statistics (corpus metrics recomputed), and takes the weighted mean
// of their suite values x100 (error metrics through the suite's transform). The interval is the
// 2.5th and 97.5th percentiles (numpy's linear rule) of the resamples where every task had a
// score. Seeded; the same on any thread count.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "harness/evaluate.h"
#include "metrics/bootstrap.h"

namespace imaxbench {

// A primary metric's score as it enters the average: its suite value x100 (NaN stays NaN);
// `transform`, when given, receives the transform's name ("identity", "1-min(1,mae)").
double primary_points(const Metric& metric, const std::string& id, double score, std::string* transform = nullptr);

// nullopt when options.resamples is 0, a task's primary metric has no sample it applies to, or no
// resample gave every task a score.
std::optional<std::array<double, 2>> average_ci95(const std::vector<TaskEvaluation>& evals,
                                                  const BootstrapOptions& options);

}  // namespace imaxbench
