// `imaxbench compare A B` with answers: both runs' answers are re-scored against their suites so
// the same resampled samples score both runs (results files keep only totals), then paired
// bootstrap, McNemar and the average (results/compare.h holds the report and renders it).
#pragma once

#include "data/split_reader.h"
#include "metrics/bootstrap.h"
#include "results/compare.h"
#include "results/run_source.h"

namespace imaxbench {

class StageProgress;

struct CompareOptions {
  BootstrapOptions bootstrap;  // resamples, seed, cluster_by_image
  double alpha = 0.05;         // significant when p < alpha
  SplitOptions split;
  StageProgress* progress = nullptr;  // told each side's steps and resamples when given
};

// Re-scores both runs and resamples them together. The report's differences list what differs;
// the caller decides whether to go on. Takes the runs so that each one's answers are freed once
// its side is evaluated.
ComparisonReport compare_runs(RunSource a, RunSource b, const CompareOptions& options);

}  // namespace imaxbench
