#include "data/suite_loader.h"

#include <filesystem>
#include <unordered_map>

#include "core/error.h"
#include "core/memory_available.h"

namespace imaxbench {

namespace {

// Reading a split holds its text and then its records, each at least as large as the text, so a
// suite whose splits pass half the memory available cannot be read: refused now, with what to do,
// rather than killed by the OOM killer halfway (what scoring adds on top is not counted, so this
// never refuses a suite that would have fit).
void check_memory_for_splits(const std::string& suite_path, const Suite& suite) {
  std::uint64_t bytes = 0;
  for (const auto& st : suite.tasks) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(st.split_path, ec);
    if (!ec) bytes += size;  // a split that cannot be sized is reported when it is read
  }
  const auto available = memory_available_bytes();
  if (!available || bytes <= *available / 2) return;
  throw Error(suite_path + ": its splits hold " + human_bytes(bytes) + "; reading them takes at least " +
              human_bytes(2 * bytes) + " of memory and " + human_bytes(*available) +
              " is available (MemAvailable, within any cgroup limit). Read fewer tasks at a time (--tasks), "
              "or cut the splits into smaller suites");
}

}  // namespace

LoadedSuite load_suite_splits(const std::string& suite_path, const std::string& tasks,
                              const SplitOptions& options) {
  LoadedSuite loaded;
  loaded.suite = load_suite(suite_path);
  select_tasks(loaded.suite, tasks);
  check_memory_for_splits(suite_path, loaded.suite);
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
