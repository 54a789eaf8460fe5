// A suite file (docs/formats.md §2): which tasks, which split for each, which metrics, which prompt.
#pragma once

#include <string>
#include <vector>

#include "tasks/task.h"

namespace imaxbench {

struct SuiteTask {
  std::string task;
  std::string split;       // as written in the suite (relative to the suite's folder)
  std::string split_path;  // resolved
  std::string primary_metric;          // a metric id among `metrics`
  std::vector<MetricSpec> metrics;     // ids filled in; task defaults when the suite gives none
  TaskOptions options;                 // prompt template, box format
  double weight = 1;
};

struct Suite {
  std::string name;
  int version = 1;
  std::string aggregate = "mean";
  std::vector<SuiteTask> tasks;
  std::string path;
  std::string sha256;
};

// Validates everything a run needs before any work starts; throws Error naming the suite file,
// the task entry and what to fix. Split files are not read here.
Suite load_suite(const std::string& path);

// Keeps only the named tasks (comma-separated); throws UsageError for a name not in the suite.
void select_tasks(Suite& suite, const std::string& comma_separated);

}  // namespace imaxbench
