// The run journal (DIR/samples.jsonl): one JSON line per answered sample, appended and flushed
// once per batch, so a killed run loses at most the batch in flight. `score --journal` and
// `--resume` read it back; only "id", "prediction" and "error" matter for scoring.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>

#include "backends/backend.h"

namespace imaxbench {

struct JournalEntry {
  std::string id;
  std::string task;
  std::size_t index = 0;
  std::string prompt;
  Response response;
};

// The entry as one JSON line, newline included: id, task, index, prompt, prediction, error (null
// when none), latency_ms, input_tokens, output_tokens, stages {image_decode_ms, ...}.
std::string journal_line(const JournalEntry& entry);

// Appends whole batches to the journal with one write() each (O_APPEND), optionally fsync'd.
class JournalWriter {
 public:
  // Opens or creates `path`; throws Error naming it when it cannot.
  JournalWriter(std::string path, bool fsync);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Throws Error (disk full, ...) after a short write; the journal then ends in a torn line that
  // the next --resume drops.
  void append(const std::string& lines);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool fsync_ = false;
};

// A shard's journal as `merge` joins it to the others: its lines as read_answers(path, strict)
// reads them, each ended, so the next shard's first line starts a line of its own. A last line
// without its line end is ended when it is whole JSON and dropped when it is torn; a leading
// byte-order mark goes.
std::string journal_for_merge(std::string text);

struct JournalState {
  std::unordered_set<std::string> answered;  // ids with a line
  std::size_t lines = 0;
  std::size_t failed = 0;  // lines with an error
  std::string note;  // non-empty: a torn last line was dropped (what and where)
};

// Reads an existing journal for --resume. An unterminated last line is what a killed writer
// leaves: it is cut off the file (its sample runs again) and described in `note`. Any other bad
// line throws DataError naming file and line. A missing file is an empty journal.
JournalState recover_journal(const std::string& path);

}  // namespace imaxbench
