#include "data/suite_loader.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "core/memory_available.h"

namespace imaxbench {

namespace {

// Reading a split holds its text and then its records, each at least as large as the text, so a
// suite whose splits pass half the memory available cannot be read: refused now, with what to do,
// rather than killed by the OOM killer halfway (what scoring adds on top is not counted, so this
// never refuses a suite that would have fit). Streamed, no split is held whole and no record is
// kept; the check asks for the largest split's size, a rough measure of the ids and images kept
// for its checks and counts (about 200 bytes a record, whatever the record's length).
void check_memory_for_splits(const std::string& suite_path, const Suite& suite, bool streamed) {
  std::uint64_t bytes = 0;
  for (const auto& st : suite.tasks) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(st.split_path, ec);
    if (ec) continue;  // a split that cannot be sized is reported when it is read
    bytes = streamed ? std::max<std::uint64_t>(bytes, size) : bytes + size;
  }
  const std::uint64_t copies = streamed ? 1 : 2;
  const auto available = memory_short_for_reading(bytes, copies);
  if (!available) return;
  throw Error(suite_path + (streamed ? ": its largest split holds " : ": its splits hold ") + human_bytes(bytes) +
              "; reading " + (streamed ? "it" : "them") + " takes at least " + human_bytes(copies * bytes) +
              " of memory and " + human_bytes(*available) +
              " is available (MemAvailable, within any cgroup limit). Read fewer tasks at a time (--tasks), "
              "or cut the splits into smaller suites");
}

DataError duplicate_across_splits(const Sample& s, const std::string& other_split) {
  return DataError(s.source_file, s.line, s.id,
                   "id also used in " + other_split + "; ids must be unique across the suite");
}

// Ids seen in an earlier split are duplicates (read_split has made each split's ids unique): such
// samples are invalid, reported after the split's own invalid records, the first one thrown under
// --strict once the split is read.
struct SplitDuplicates {
  std::vector<InvalidRecord> found;
  std::optional<DataError> first;
  void add(DataError e) {
    found.push_back({e.what(), e.id()});
    if (!first) first = std::move(e);
  }
  void report(SplitData& split, bool strict) {
    if (strict && first) throw *first;
    split.invalid.insert(split.invalid.end(), found.begin(), found.end());
  }
};

// Samples go to `visit` as each split is read; ids are kept as strings, the samples are not.
void stream_splits(LoadedSuite& loaded, const SplitOptions& options, const std::function<void(const Sample&)>& visit) {
  std::unordered_map<std::string, std::size_t> seen;  // ids of the splits read so far -> their split
  for (const auto& st : loaded.suite.tasks) {
    const std::size_t index = loaded.splits.size();
    const bool last = index + 1 == loaded.suite.tasks.size();  // the last split's ids are not needed
    SplitDuplicates duplicates;
    SplitData split = read_split(st.split_path, st.task, options, [&](Sample& s) {
      if (auto it = seen.find(s.id); it != seen.end()) {
        duplicates.add(duplicate_across_splits(s, loaded.splits[it->second].path));
        return false;
      }
      if (!last) seen.emplace(s.id, index);
      visit(s);
      return true;
    });
    duplicates.report(split, options.strict);
    loaded.splits.push_back(std::move(split));
  }
}

}  // namespace

LoadedSuite load_suite_splits(const std::string& suite_path, const std::string& tasks,
                              const SplitOptions& options, const std::function<void(const Sample&)>& visit) {
  LoadedSuite loaded;
  loaded.suite = load_suite(suite_path);
  select_tasks(loaded.suite, tasks);
  check_memory_for_splits(suite_path, loaded.suite, static_cast<bool>(visit));
  loaded.splits.reserve(loaded.suite.tasks.size());
  if (visit) {
    stream_splits(loaded, options, visit);
    return loaded;
  }
  // Ids of the splits read so far -> their split. The views point into loaded.splits' samples,
  // whose buffers stay where they are (moving a SplitData moves its vector's buffer, not the samples).
  std::unordered_map<std::string_view, std::size_t> seen;
  for (const auto& st : loaded.suite.tasks) {
    SplitData split = read_split(st.split_path, st.task, options);
    if (!seen.empty()) {
      SplitDuplicates duplicates;
      std::vector<Sample> unique;
      unique.reserve(split.samples.size());
      for (auto& s : split.samples) {
        auto it = seen.find(s.id);
        if (it == seen.end()) unique.push_back(std::move(s));
        else duplicates.add(duplicate_across_splits(s, loaded.splits[it->second].path));
      }
      split.samples = std::move(unique);
      duplicates.report(split, options.strict);
    }
    loaded.splits.push_back(std::move(split));
    if (loaded.splits.size() == loaded.suite.tasks.size()) break;  // the last split's ids are not needed
    seen.reserve(seen.size() + loaded.splits.back().samples.size());
    for (const Sample& s : loaded.splits.back().samples) seen.emplace(s.id, loaded.splits.size() - 1);
  }
  return loaded;
}

}  // namespace imaxbench
