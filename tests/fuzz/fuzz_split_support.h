// What the two split-reader targets share: which task the input is read as, and one pass of the
// reader, lenient then --strict, checking that only imaxbench::Error comes out and that every
// message is one line of UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "data/split_reader.h"
#include "core/error.h"
#include "tasks/task.h"

namespace imaxbench::fuzz {

// The first task name written (quoted) in the input, so that seeds are plain split files.
inline std::string task_named_first(std::string_view text) {
  std::string best = "calculation";
  std::size_t best_at = std::string_view::npos;
  for (const Task* t : all_tasks()) {
    const std::size_t at = text.find("\"" + std::string(t->name()) + "\"");
    if (at < best_at) {
      best_at = at;
      best = std::string(t->name());
    }
  }
  return best;
}

inline void read_split_both_ways(const std::string& path, std::string_view input, bool check_images) {
  const std::string task = task_named_first(input);
  for (bool strict : {false, true}) {
    SplitOptions options;
    options.strict = strict;
    options.check_images = check_images;
    try {
      const SplitData split = read_split(path, task, options);
      for (const auto& bad : split.invalid) check_message(bad.message, "read_split");
    } catch (const Error& e) {
      check_message(e.what(), "read_split (strict)");
    }
  }
}

}  // namespace imaxbench::fuzz
