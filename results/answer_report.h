// `imaxbench inspect --answers`: what a model's answers came to, from a per-sample log
// (harness/sample_log.h): per task, how many were scored, unparsed, failed or missing, and the
// unparsed and failed ones grouped by the parser's reason (or the backend's error), most frequent
// first, with example answers and the markup tokens they used, so "my model scores 0 on REC"
// becomes "412 answers used <|box_start|>".
#pragma once

#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace imaxbench {

struct AnswerGroup {
  std::string status;  // "unparsed" or "failed"
  std::string reason;  // the parser's note, or the backend's error
  std::size_t count = 0;
  std::vector<std::pair<std::string, std::string>> examples;  // id, answer (excerpt)
  std::map<std::string, std::size_t> markup;  // tokens such as <|box_start|> or <ref>: answers using each
};

struct TaskAnswers {
  std::string task;
  std::map<std::string, std::size_t> status;  // scored, unparsed, failed, missing
  std::vector<AnswerGroup> groups;            // most frequent first
};

struct AnswerReport {
  std::string path;
  std::size_t samples = 0;
  std::vector<TaskAnswers> tasks;  // in the log's order
};

// Reads FILE, or DIR/scored.jsonl for a run folder. Throws Error (or DataError naming file, line
// and id) for a file that is not a per-sample log.
AnswerReport read_answer_report(const std::string& path, std::size_t examples_per_group = 3);

void print_answer_report(const AnswerReport& report, std::ostream& out);
nlohmann::json answer_report_json(const AnswerReport& report);

}  // namespace imaxbench
