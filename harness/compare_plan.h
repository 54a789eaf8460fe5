// What `compare` settles before either run is scored (harness/compare_runs.cc): per task, the
// samples both runs have and the metrics both suites have, and the multi-task average's global
// cluster list. Made from side A's evaluations and B's suite, so side A can be scored and freed
// before side B is read, both on the same resamples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/suite_loader.h"
#include "harness/evaluate.h"
#include "results/compare.h"

namespace imaxbench {

// Indices of the samples both runs answered-or-not on, in A's order, and their cluster keys.
struct Pairing {
  std::vector<std::uint32_t> ia, ib;
  std::vector<std::string> keys;
};

// What is compared per task, settled before either side is scored: the common samples and the
// metrics both suites have (indices into each side's suite task).
struct TaskPlan {
  std::size_t b_task = 0;  // the task's index in B's suite (A's is the plan's own index)
  std::string split_sha_b;  // B's split as paired, to find it unchanged when B's side reads it
  TaskComparison tc;       // name, weight, sample counts; metrics filled at the end
  Pairing pairing;
  std::vector<std::size_t> metric_b;  // per metric of A's suite task: B's index, or npos (A's only)
  std::vector<std::size_t> compared;  // A's indices of the metrics both have, in A's order
  std::size_t primary = std::string::npos;  // the index in `compared` of the primary metric
  // Compared metric k's index in side A's or side B's suite task.
  std::size_t metric_index(std::size_t k, bool side_b) const { return side_b ? metric_b[compared[k]] : compared[k]; }
};

// The multi-task average's tasks (plan indices: a primary metric compared on both sides) and one
// global cluster list over them: one image answers questions of several tasks, so its samples are
// drawn together.
struct AveragePlan {
  std::vector<std::size_t> tasks;
  std::vector<std::string> keys;
  std::vector<std::uint32_t> task_of, local;  // per global sample: its entry in `tasks`, its index there
  // One task of weight 1: the average is that task's primary metric in points, compared already on
  // the same resamples ((1 x v) / 1 is v exactly); resampling it again would repeat that work.
  bool is_single_primary(const std::vector<TaskPlan>& plans) const {
    return tasks.size() == 1 && plans[tasks[0]].tc.weight == 1.0;
  }
};

struct ComparePlan {
  std::vector<TaskPlan> tasks;  // in the order of A's evaluations
  AveragePlan average;
};

// Pairs each of A's tasks with B's: `b` is B's suite with its splits (its samples' ids and image
// ids are read). Throws Error naming `b_name` when B's suite lacks one of A's tasks.
ComparePlan plan_comparison(const std::vector<TaskEvaluation>& a, const LoadedSuite& b, bool cluster_by_image,
                            const std::string& b_name);

}  // namespace imaxbench
