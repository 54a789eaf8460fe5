#include "data/suite_loader.h"

#include <unordered_map>

#include "core/error.h"

namespace imaxbench {

LoadedSuite load_suite_splits(const std::string& suite_path, const std::string& tasks,
                              const SplitOptions& options) {
  LoadedSuite loaded;
  loaded.suite = load_suite(suite_path);
  select_tasks(loaded.suite, tasks);
  std::unordered_map<std::string, std::string> seen;  // id -> split path
  for (const auto& st : loaded.suite.tasks) {
    SplitData split = read_split(st.split_path, st.task, options);
    std::vector<Sample> unique;
    for (auto& s : split.samples) {
      auto [it, inserted] = seen.emplace(s.id, split.path);
      if (inserted) {
        unique.push_back(std::move(s));
        continue;
      }
      DataError e(s.source_file, s.line, s.id,
                  "id also used in " + it->second + "; ids must be unique across the suite");
      if (options.strict) throw e;
      split.invalid.push_back({e.what()});
    }
    split.samples = std::move(unique);
    loaded.splits.push_back(std::move(split));
  }
  return loaded;
}

}  // namespace imaxbench
