#include "harness/score_suite.h"

#include <ostream>
#include <unordered_map>
#include <unordered_set>

#include "tasks/error.h"
#include "tasks/excerpt.h"

namespace imaxbench {

namespace {
constexpr std::size_t kShown = 10;
}

LoadedSuite load_suite_splits(const std::string& suite_path, const std::string& tasks,
                              const SplitOptions& options) {
  LoadedSuite loaded;
  loaded.suite = load_suite(suite_path);
  select_tasks(loaded.suite, tasks);
  std::unordered_map<std::string, std::string> seen;  // id -> split path
  for (const auto& st : loaded.suite.tasks) {
    SplitData split = read_split(st.split_path, st.task, options);
    std::vector<Sample> unique;
    for (auto& s : split.samples) {
      auto [it, inserted] = seen.emplace(s.id, split.path);
      if (inserted) {
        unique.push_back(std::move(s));
        continue;
      }
      DataError e(s.source_file, s.line, s.id,
                  "id also used in " + it->second + "; ids must be unique across the suite");
      if (options.strict) throw e;
      split.invalid.push_back({e.what()});
    }
    split.samples = std::move(unique);
    loaded.splits.push_back(std::move(split));
  }
  return loaded;
}

ScoredSuite score_answers(const LoadedSuite& loaded, const AnswerSet* answers,
                          const BootstrapOptions& bootstrap) {
  ScoredSuite out;
  std::unordered_set<std::string> known;
  for (std::size_t i = 0; i < loaded.suite.tasks.size(); ++i) {
    const auto& split = loaded.splits[i];
    for (const auto& s : split.samples) known.insert(s.id);
    TaskEvaluation eval = compute_task(loaded.suite.tasks[i], split, answers);
    out.tasks.push_back(summarize_task(eval, split, bootstrap));
  }
  if (answers) {
    for (const auto& [id, a] : answers->by_id)
      if (!known.count(id)) out.unknown_ids.push_back(id);
    std::sort(out.unknown_ids.begin(), out.unknown_ids.end());
  }
  return out;
}

void report_answer_problems(const AnswerSet& answers, const std::vector<std::string>& unknown_ids,
                            std::ostream& err) {
  for (std::size_t i = 0; i < answers.problems.size() && i < kShown; ++i)
    err << "warning: " << answers.problems[i] << "\n";
  if (answers.problems.size() > kShown)
    err << "warning: ... and " << answers.problems.size() - kShown << " more problems in " << answers.path << "\n";
  if (!unknown_ids.empty()) {
    err << "warning: " << answers.path << ": " << unknown_ids.size()
        << " answers have ids that no split of the suite has (ignored):";
    for (std::size_t i = 0; i < unknown_ids.size() && i < kShown; ++i) err << " " << excerpt(unknown_ids[i]);
    err << (unknown_ids.size() > kShown ? " ...\n" : "\n");
  }
}

}  // namespace imaxbench
