// What the two split-reader targets share: which task the input is read as, and one pass of the
// reader, lenient then --strict, checking that only imaxbench::Error comes out and that every
// message is one line of UTF-8.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "core/jsonl.h"
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

// The file's lines read in pieces of a few bytes (so that line ends, CRLFs and blank runs fall
// across pieces, which read_split's 256 KiB pieces never do on a fuzzer's inputs) against its
// whole text's.
inline void read_lines_in_pieces(const std::string& path, std::string_view input) {
  auto seen = [](std::string& out) {
    return [&out](JsonlLine& l) {
      out += std::to_string(l.line) + (l.torn ? " torn " : " ") + l.problem + l.value.dump() + "\n";
    };
  };
  std::string whole, pieces, bytes;
  for_each_jsonl_line(input, seen(whole));
  read_jsonl_streamed(path, "fuzz input", [](JsonlLine&) {}, seen(pieces), [&](std::string_view b) { bytes += b; },
                      1 + input.size() % 13);
  if (pieces != whole || bytes != input) {
    std::fprintf(stderr, "read_jsonl_streamed: read in pieces, the file reads otherwise\n");
    std::abort();
  }
}

// Lenient, then --strict; each read whole and kept, and read in pieces with nothing kept (as
// `inspect` does), which must come to the same.
inline void read_split_both_ways(const std::string& path, std::string_view input, bool check_images) {
  read_lines_in_pieces(path, input);
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
