// A suite file and every split it names, read and validated: what `score`, `run`, `merge` and the
// baseline's gallery all start from.
#pragma once

#include <string>
#include <vector>

#include "data/split_reader.h"
#include "data/suite.h"

namespace imaxbench {

struct LoadedSuite {
  Suite suite;
  std::vector<SplitData> splits;  // same order as suite.tasks
};

// Reads every split; with options.strict the first invalid record throws. Ids must be unique
// across the suite, since answers are keyed by id alone.
LoadedSuite load_suite_splits(const std::string& suite_path, const std::string& tasks,
                              const SplitOptions& options);

}  // namespace imaxbench
