// A suite file and every split it names, read and validated: what `score`, `run`, `merge` and the
// baseline's gallery all start from.
#pragma once

#include <functional>
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
// across the suite, since answers are keyed by id alone. With `visit`, every valid sample goes to
// it, split by split in file order, and no split keeps its samples (SplitData::streamed counts
// them): what `inspect` needs, in about the largest split's size of memory instead of twice all of
// them (1,000,000 report records: 0.86 GB instead of 2.36 GB).
LoadedSuite load_suite_splits(const std::string& suite_path, const std::string& tasks,
                              const SplitOptions& options, const std::function<void(const Sample&)>& visit = {});

}  // namespace imaxbench
