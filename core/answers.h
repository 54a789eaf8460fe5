// What a model said, keyed by sample id: a predictions file (docs/formats.md §3) or a run's journal
// (samples.jsonl), which has the same "id"/"prediction" fields plus "error" for failed samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace imaxbench {

struct Answer {
  std::string text;
  std::string error;            // the backend failed on this sample
  double latency_ms = -1;       // -1: not given
  std::int64_t output_tokens = -1;
  std::size_t line = 0;
  std::optional<std::string> prompt;  // as sent to the model (a run's journal says; predictions may)
};

struct AnswerSet {
  std::string path;
  std::unordered_map<std::string, Answer> by_id;
  std::vector<std::string> problems;  // bad lines, duplicates (first kept), torn last line
};

// Throws Error when the file cannot be read; DataError for the first bad line under `strict`.
AnswerSet read_answers(const std::string& path, bool strict);

}  // namespace imaxbench
