// The per-sample log: for every sample of a scored suite, what the model said and what imaxbench
// made of it (docs/formats.md, "Per-sample log"): id, task, image, the prompt as sent (a run's
// journal has it), the raw answer, the parse status and the parser's note (why it failed, or what it
// assumed), the parsed answer, and each per-sample metric value that exists (a metric whose score
// is a mean of per-sample values: accuracy, IoU, token F1, absolute error, ...). `run` writes it as
// DIR/scored.jsonl; `score --log-samples FILE`; `inspect --answers` summarises it.
#pragma once

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/answers.h"
#include "harness/evaluate.h"

namespace imaxbench {

class SampleLog {
 public:
  // Lines go to PATH.tmp, renamed to PATH by finish(): a killed process leaves no log that looks
  // whole. Throws Error when the file cannot be created.
  explicit SampleLog(std::string path);
  ~SampleLog();
  // One line per sample of the task, in split order.
  void add_task(const TaskEvaluation& eval, const AnswerSet* answers);
  // Throws Error when a write failed.
  void finish();
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  std::ofstream out_;
  bool finished_ = false;
};

// One sample's line (without the newline), for the log and its tests.
nlohmann::ordered_json sample_log_entry(const TaskEvaluation& eval, std::size_t i, const AnswerSet* answers);

}  // namespace imaxbench
