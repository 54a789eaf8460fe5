// What the two split-reader targets share: which task the input is read as, and one pass of the
// reader, lenient then --strict, checking that only imaxbench::Error comes out and that every
// message is one line of UTF-8.
#pragma once

#include <cstdio>
#include <cstdlib>
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

// What one reading came to: the valid records' ids, the invalid records' messages and the hash, or
// the error it stopped with.
inline std::string reading_outcome(const std::string& path, const std::string& task, const SplitOptions& options,
                                   bool streamed) {
  std::string out;
  try {
    std::string ids;
    const SplitData split =
        streamed ? read_split(path, task, options, [&](Sample& s) { return ids += s.id + '\n', true; })
                 : read_split(path, task, options);
    for (const Sample& s : split.samples) ids += s.id + '\n';
    out = "valid " + std::to_string(split.valid()) + "\n" + ids + split.sha256 + "\n";
    for (const auto& bad : split.invalid) {
      check_message(bad.message, "read_split");
      out += bad.message + "\n";
    }
  } catch (const Error& e) {
    check_message(e.what(), "read_split (strict)");
    out = std::string("error ") + e.what();
  }
  return out;
}

// Lenient, then --strict; each read whole and kept, and read in pieces with nothing kept (as
// `inspect` does), which must come to the same.
inline void read_split_both_ways(const std::string& path, std::string_view input, bool check_images) {
  const std::string task = task_named_first(input);
  for (bool strict : {false, true}) {
    SplitOptions options;
    options.strict = strict;
    options.check_images = check_images;
    if (reading_outcome(path, task, options, false) != reading_outcome(path, task, options, true)) {
      std::fprintf(stderr, "read_split: read in pieces with nothing kept, the split reads otherwise\n");
      std::abort();
    }
  }
}

}  // namespace imaxbench::fuzz
