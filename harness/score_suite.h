// Scoring a set of answers against a loaded suite (data/suite_loader.h): the part `score`, `run`
// and `merge` share.
#pragma once

#include <array>
#include <optional>

#include <iosfwd>
#include <string>
#include <vector>

#include "core/answers.h"
#include "metrics/bootstrap.h"
#include "harness/evaluate.h"
#include "results/result_sink.h"
#include "harness/sample_log.h"
#include "data/suite_loader.h"

namespace imaxbench {

struct ScoredSuite {
  std::vector<TaskResult> tasks;
  std::vector<std::string> unknown_ids;  // answered ids no split has
  std::optional<std::array<double, 2>> average_ci95;  // harness/average_interval.h
};

// The suite summary of scored tasks, with the average's interval.
SuiteSummary summarize_scored(const ScoredSuite& scored);

// `log`, when given, gets every sample's line (harness/sample_log.h); the caller finishes it.
class StageProgress;
// `progress`, when given, is told each task's steps and its resamples.
ScoredSuite score_answers(const LoadedSuite& loaded, const AnswerSet* answers,
                          const BootstrapOptions& bootstrap, SampleLog* log = nullptr,
                          StageProgress* progress = nullptr);

// Reports answer-file problems and unknown ids on `err` (first few of each, then a count). `tasks`:
// the --tasks the splits were limited to, if any (answers to the other tasks' samples are unknown
// then, and the message says so).
void report_answer_problems(const AnswerSet& answers, const std::vector<std::string>& unknown_ids,
                            std::ostream& err, const std::string& tasks = {});

}  // namespace imaxbench
