// Speed of every task's answer parser (Task::parse_output) on the sample suite's bundled
// predictions (model-like answers, suites/sample/predictions.jsonl), one case per task.
// items/s counts answers; the parsed_fraction counter shows how many the parser understood.
// `imaxbench profile` reports the same work as its answer_parsing stage.
//   build-*/tests/bench/imaxbench_bench --benchmark_filter=ParseAnswers
// And on one 1 MB and one 10 MB answer per task, made by repeating a model-like sentence
// ("prose") or the shape that was worst for the old quadratic parsers ("adversarial"); the parsers
// are linear, so 10 MB should take about ten times as long as 1 MB (issue 12, item 11).
//   build-*/tests/bench/imaxbench_bench --benchmark_filter=ParseLongAnswer
#include <benchmark/benchmark.h>

#include <map>
#include <string_view>

#include "core/answers.h"
#include "harness/score_suite.h"
#include "tasks/task.h"
#include "tasks/vocabulary.h"

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

// One answer of state.range(0) bytes: `lead`, then `unit` repeated (the last copy cut short),
// then `tail`.
void BM_ParseLongAnswer(benchmark::State& state, const char* task_name, std::string_view lead,
                        std::string_view unit, std::string_view tail) {
  const auto bytes = static_cast<std::size_t>(state.range(0));
  std::string text(lead);
  while (text.size() < bytes) text += unit;
  text.resize(bytes > tail.size() ? bytes - tail.size() : 0);
  text += tail;
  Sample sample;
  sample.task = task_name;
  sample.classes = sample.task == "multilabel_classification" ? default_chexpert_labels() : default_edema_classes();
  sample.quantity = "ctr";
  sample.answer_type = "closed";
  sample.image_size = std::array<double, 2>{1000, 800};
  const Task& task = *find_task(task_name);
  const TaskOptions options;
  bool parsed = false;
  for (auto _ : state) {
    Prediction p = task.parse_output(sample, text, options);
    parsed = p.parsed;
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["parsed"] = parsed;
}
#define IMAXBENCH_LONG_ANSWER(name, task, lead, unit, tail)                     \
  BENCHMARK_CAPTURE(BM_ParseLongAnswer, name, task, lead, unit, tail)           \
      ->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()
IMAXBENCH_LONG_ANSWER(calculation_prose, "calculation", "",
                      "The cardiothoracic ratio is about 0.52 (heart 14.2 cm / thorax 27.3 cm). ", "");
IMAXBENCH_LONG_ANSWER(calculation_adversarial, "calculation", "", "9 ", "");  // 5 million numbers
IMAXBENCH_LONG_ANSWER(report_generation_prose, "report_generation", "",
                      "Findings: The heart size is normal. No pleural effusion or pneumothorax. ", "");
IMAXBENCH_LONG_ANSWER(report_generation_adversarial, "report_generation", "", " \n", "Normal.");
IMAXBENCH_LONG_ANSWER(multiclass_classification_prose, "multiclass_classification", "",
                      "There is mild pulmonary vascular congestion without interstitial or alveolar edema. ", "");
// A mention every 5 bytes in one comma segment, each inheriting the first one's negation.
IMAXBENCH_LONG_ANSWER(multiclass_classification_adversarial, "multiclass_classification", "no ", "none ", "");
IMAXBENCH_LONG_ANSWER(multilabel_classification_prose, "multilabel_classification", "",
                      "Small left pleural effusion, no pneumothorax, mild cardiomegaly; a pacemaker is seen. ", "");
IMAXBENCH_LONG_ANSWER(multilabel_classification_adversarial, "multilabel_classification", "", "ptx ", "");  // 2.5M mentions
IMAXBENCH_LONG_ANSWER(rec_prose, "rec", "", "The opacity lies at {<12><34><56><78>} in the left lower lobe. ", "");
IMAXBENCH_LONG_ANSWER(rec_adversarial, "rec", "", "(", "");  // every byte starts a box that fails
IMAXBENCH_LONG_ANSWER(rec_boxes, "rec", "", "{<1><2><3><4>}", "");  // 714 thousand boxes
IMAXBENCH_LONG_ANSWER(reg_prose, "reg", "", "This region shows the small right pleural effusion. ", "");
IMAXBENCH_LONG_ANSWER(reg_adversarial, "reg", "", " \n", "Effusion.");
IMAXBENCH_LONG_ANSWER(vqa_prose, "vqa", "", "Yes, there is a small effusion at the right base. ", "");
IMAXBENCH_LONG_ANSWER(vqa_adversarial, "vqa", "Answer", ":", "");  // a wrapper, then 10 million ':'

}  // namespace
}  // namespace imaxbench
