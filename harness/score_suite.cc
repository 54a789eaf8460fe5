#include "harness/score_suite.h"

#include <cmath>

#include "harness/average_interval.h"
#include "harness/stage_progress.h"

#include <ostream>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "core/excerpt.h"

namespace imaxbench {

namespace {
constexpr std::size_t kShown = 10;
}

ScoredSuite score_answers(const LoadedSuite& loaded, const AnswerSet* answers,
                          const BootstrapOptions& bootstrap, SampleLog* log, StageProgress* progress) {
  ScoredSuite out;
  std::unordered_set<std::string> known;
  std::vector<TaskEvaluation> evals;  // kept for the average's interval, which draws across tasks
  BootstrapOptions counted = bootstrap;
  if (progress && bootstrap.resamples > 0) counted.on_scored = progress->resamples(bootstrap.resamples);
  for (std::size_t i = 0; i < loaded.suite.tasks.size(); ++i) {
    const auto& split = loaded.splits[i];
    const std::string& task = loaded.suite.tasks[i].task;
    if (progress) progress->stage(task + ": scoring " + std::to_string(split.samples.size()) + " samples");
    for (const auto& s : split.samples) known.insert(s.id);
    for (const auto& r : split.invalid)  // answers to invalid records are not answers to no record
      if (!r.id.empty()) known.insert(r.id);
    TaskEvaluation eval = compute_task(loaded.suite.tasks[i], split, answers);
    if (log) log->add_task(eval, answers);
    if (progress && bootstrap.resamples > 0) progress->stage(task + ": resampling");
    out.tasks.push_back(summarize_task(eval, split, counted));
    if (bootstrap.resamples > 0) evals.push_back(std::move(eval));
  }
  if (progress && !evals.empty()) progress->stage("the tasks' average: resampling");
  out.average_ci95 = average_ci95(evals, counted);
  if (answers) {
    for (const auto& [id, a] : answers->by_id)
      if (!known.count(id)) out.unknown_ids.push_back(id);
    std::sort(out.unknown_ids.begin(), out.unknown_ids.end());
  }
  return out;
}

SuiteSummary summarize_scored(const ScoredSuite& scored) {
  SuiteSummary s = summarize_suite(scored.tasks);
  if (std::isfinite(s.score)) s.ci95 = scored.average_ci95;
  return s;
}

void report_answer_problems(const AnswerSet& answers, const std::vector<std::string>& unknown_ids,
                            std::ostream& err, const std::string& tasks) {
  for (std::size_t i = 0; i < answers.problems.size() && i < kShown; ++i)
    err << "warning: " << answers.problems[i] << "\n";
  if (answers.problems.size() > kShown)
    err << "warning: ... and " << answers.problems.size() - kShown << " more problems in " << answers.path << "\n";
  if (!unknown_ids.empty()) {
    err << "warning: " << answers.path << ": " << unknown_ids.size() << " answers have ids that no split "
        << (tasks.empty() ? "of the suite has (ignored):"
                          : "read has (ignored; with --tasks " + tasks + ", answers to the other tasks count here):");
    for (std::size_t i = 0; i < unknown_ids.size() && i < kShown; ++i) err << " " << excerpt(unknown_ids[i]);
    err << (unknown_ids.size() > kShown ? " ...\n" : "\n");
  }
}

}  // namespace imaxbench
