// Speed of every task's answer parser (Task::parse_output) on the sample suite's bundled
// predictions (model-like answers, suites/sample/predictions.jsonl), one case per task.
// items/s counts answers; the parsed_fraction counter shows how many the parser understood.
// `imaxbench profile` reports the same work as its answer_parsing stage.
//   build-*/tests/bench/imaxbench_bench --benchmark_filter=ParseAnswers
#include <benchmark/benchmark.h>

#include <map>

#include "harness/answers.h"
#include "harness/score_suite.h"
#include "tasks/task.h"

namespace imaxbench {
namespace {

struct TaskAnswers {
  const SuiteTask* suite_task = nullptr;
  std::vector<std::pair<const Sample*, std::string>> answers;
  std::size_t bytes = 0;
};

const std::map<std::string, TaskAnswers>& sample_answers() {
  static const LoadedSuite loaded =
      load_suite_splits(IMAXBENCH_SOURCE_DIR "/suites/sample/suite.json", "", SplitOptions{});
  static const std::map<std::string, TaskAnswers> by_task = [] {
    const AnswerSet answers = read_answers(IMAXBENCH_SOURCE_DIR "/suites/sample/predictions.jsonl", false);
    std::map<std::string, TaskAnswers> out;
    for (std::size_t t = 0; t < loaded.suite.tasks.size(); ++t) {
      TaskAnswers& ta = out[loaded.suite.tasks[t].task];
      ta.suite_task = &loaded.suite.tasks[t];
      for (const Sample& s : loaded.splits[t].samples) {
        auto it = answers.by_id.find(s.id);
        if (it == answers.by_id.end()) continue;
        ta.answers.emplace_back(&s, it->second.text);
        ta.bytes += it->second.text.size();
      }
    }
    return out;
  }();
  return by_task;
}

void BM_ParseAnswers(benchmark::State& state, const char* task_name) {
  const auto& all = sample_answers();
  auto it = all.find(task_name);
  if (it == all.end() || it->second.answers.empty()) {
    state.SkipWithError("the sample suite has no answers for this task");
    return;
  }
  const TaskAnswers& ta = it->second;
  const Task& task = *find_task(task_name);
  std::size_t parsed = 0;
  for (auto _ : state)
    for (const auto& [sample, text] : ta.answers) {
      Prediction p = task.parse_output(*sample, text, ta.suite_task->options);
      parsed += p.parsed;
      benchmark::DoNotOptimize(p);
    }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ta.answers.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(ta.bytes));
  state.counters["answers"] = static_cast<double>(ta.answers.size());
  state.counters["parsed_fraction"] =
      static_cast<double>(parsed) / static_cast<double>(state.iterations() * ta.answers.size());
}
BENCHMARK_CAPTURE(BM_ParseAnswers, calculation, "calculation");
BENCHMARK_CAPTURE(BM_ParseAnswers, report_generation, "report_generation");
BENCHMARK_CAPTURE(BM_ParseAnswers, multiclass_classification, "multiclass_classification");
BENCHMARK_CAPTURE(BM_ParseAnswers, multilabel_classification, "multilabel_classification");
BENCHMARK_CAPTURE(BM_ParseAnswers, rec, "rec");
BENCHMARK_CAPTURE(BM_ParseAnswers, reg, "reg");
BENCHMARK_CAPTURE(BM_ParseAnswers, vqa, "vqa");

}  // namespace
}  // namespace imaxbench
