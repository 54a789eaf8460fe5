#include "data/suite_loader.h"

#include <filesystem>
#include <string_view>
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
  const auto available = memory_short_for_reading(bytes);
  if (!available) return;
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
  // Ids of the splits read so far -> their split. read_split has made each split's ids unique, so
  // only ids seen in an earlier split are duplicates. The views point into loaded.splits' samples,
  // whose buffers stay where they are (moving a SplitData moves its vector's buffer, not the samples).
  std::unordered_map<std::string_view, std::size_t> seen;
  loaded.splits.reserve(loaded.suite.tasks.size());
  for (const auto& st : loaded.suite.tasks) {
    SplitData split = read_split(st.split_path, st.task, options);
    if (!seen.empty()) {
      std::vector<Sample> unique;
      unique.reserve(split.samples.size());
      for (auto& s : split.samples) {
        auto it = seen.find(s.id);
        if (it == seen.end()) {
          unique.push_back(std::move(s));
          continue;
        }
        DataError e(s.source_file, s.line, s.id,
                    "id also used in " + loaded.splits[it->second].path + "; ids must be unique across the suite");
        if (options.strict) throw e;
        split.invalid.push_back({e.what()});
      }
      split.samples = std::move(unique);
    }
    loaded.splits.push_back(std::move(split));
    if (loaded.splits.size() == loaded.suite.tasks.size()) break;  // the last split's ids are not needed
    seen.reserve(seen.size() + loaded.splits.back().samples.size());
    for (const Sample& s : loaded.splits.back().samples) seen.emplace(s.id, loaded.splits.size() - 1);
  }
  return loaded;
}

}  // namespace imaxbench
