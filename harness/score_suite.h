// Reading every split of a suite and scoring a set of answers against it: the part `score`,
// `run` and `merge` share.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "harness/answers.h"
#include "harness/bootstrap.h"
#include "harness/evaluate.h"
#include "harness/split_reader.h"
#include "harness/suite.h"

namespace imaxbench {

struct LoadedSuite {
  Suite suite;
  std::vector<SplitData> splits;  // same order as suite.tasks
};

// Reads every split; with options.strict the first invalid record throws. Ids must be unique
// across the suite, since answers are keyed by id alone.
LoadedSuite load_suite_splits(const std::string& suite_path, const std::string& tasks,
                              const SplitOptions& options);

struct ScoredSuite {
  std::vector<TaskResult> tasks;
  std::vector<std::string> unknown_ids;  // answered ids no split has
};

ScoredSuite score_answers(const LoadedSuite& loaded, const AnswerSet* answers,
                          const BootstrapOptions& bootstrap);

// Reports answer-file problems and unknown ids on `err` (first few of each, then a count).
void report_answer_problems(const AnswerSet& answers, const std::vector<std::string>& unknown_ids,
                            std::ostream& err);

}  // namespace imaxbench
