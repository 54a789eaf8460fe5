#include "harness/evaluate.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <tbb/parallel_for.h>

#include "metrics/text/ngram_ids.h"
#include "tasks/reasoning_answer.h"
#include "tasks/task.h"

namespace imaxbench {

namespace {

constexpr std::size_t kProblemsKept = 20;

Prediction predict(const Task& task, const Sample& sample, const AnswerSet* answers,
                   const TaskOptions& options) {
  Prediction p;
  if (!answers) return p;
  auto it = answers->by_id.find(sample.id);
  if (it == answers->by_id.end()) return p;
  const Answer& a = it->second;
  if (!a.error.empty()) {
    p.present = true;
    p.error = a.error;
    p.note = "backend error: " + a.error;
    return p;
  }
  p = read_answer(task, sample, a.text, options);
  p.present = true;
  p.error.clear();
  return p;
}

}  // namespace

TaskEvaluation compute_task(const SuiteTask& suite_task, const SplitData& split,
                            const AnswerSet* answers) {
  const Task& task = *find_task(suite_task.task);
  TaskEvaluation eval;
  eval.suite_task = &suite_task;
  for (const auto& s : split.samples) eval.samples.push_back(&s);
  const std::size_t n = eval.samples.size();

  eval.predictions.resize(n);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    eval.predictions[i] = predict(task, *eval.samples[i], answers, suite_task.options);
  });

  std::vector<const Metric*> metrics;
  for (const auto& spec : suite_task.metrics) {
    eval.metrics.push_back(make_metric(spec.name, spec.params));
    metrics.push_back(eval.metrics.back().get());
  }
  eval.rows = compute_metric_rows(metrics, eval.samples, eval.predictions);
  // The task's samples are one corpus: its n-gram ids are all handed out, and what comes next
  // (scoring, resampling, other tasks) needs none of the dictionary's keys.
  NgramIds::global().release();
  return eval;
}

TaskResult summarize_task(const TaskEvaluation& eval, const SplitData& split,
                          const BootstrapOptions& options) {
  const SuiteTask& st = *eval.suite_task;
  TaskResult r;
  r.task = st.task;
  r.task_version = find_task(st.task)->version();
  r.split = st.split;
  r.split_sha256 = split.sha256;
  r.weight = st.weight;
  r.primary_metric = st.primary_metric;

  r.counts.invalid = split.invalid.size();
  r.counts.total = eval.samples.size() + split.invalid.size();
  for (const auto& p : eval.predictions) {
    switch (answer_status(p)) {
      case AnswerStatus::kMissing: ++r.counts.missing; break;
      case AnswerStatus::kFailed: ++r.counts.failed; break;
      case AnswerStatus::kUnparsed: ++r.counts.unparsed; break;
      case AnswerStatus::kScored: ++r.counts.scored; break;
    }
  }
  for (std::size_t i = 0; i < split.invalid.size() && i < kProblemsKept; ++i)
    r.problems.push_back(split.invalid[i].message);

  std::vector<std::string> keys;
  for (const Sample* s : eval.samples)
    keys.push_back(options.cluster_by_image ? s->image_id : s->id);
  Resampler resampler(keys);
  // The intervals of every metric with an eligible sample, over the same resamples drawn once.
  std::vector<const Metric*> resampled;
  std::vector<const MetricRows*> resampled_rows;
  std::vector<std::size_t> interval_of(eval.metrics.size(), eval.metrics.size());
  for (std::size_t m = 0; m < eval.metrics.size(); ++m)
    if (options.resamples > 0 && eval.rows[m].eligible() > 0) {
      interval_of[m] = resampled.size();
      resampled.push_back(eval.metrics[m].get());
      resampled_rows.push_back(&eval.rows[m]);
    }
  const auto intervals = bootstrap_ci95(resampled, resampled_rows, resampler, options);

  for (std::size_t m = 0; m < eval.metrics.size(); ++m) {
    const Metric& metric = *eval.metrics[m];
    const MetricRows& rows = eval.rows[m];
    MetricResult mr;
    mr.id = st.metrics[m].id;
    mr.name = st.metrics[m].name;
    mr.signature = metric.signature();
    mr.higher_is_better = metric.higher_is_better();
    mr.bounded = metric.bounded();
    std::vector<std::uint32_t> all(rows.size());
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    const std::size_t eligible = rows.eligible();
    mr.score = score_if_eligible(metric, rows, all);
    if (std::isnan(mr.score))
      mr.null_reason = eval.samples.empty() ? "nothing to score: the split has no valid record"
                       : eligible == 0      ? "none of the " + std::to_string(eval.samples.size()) +
                                             " samples is one this metric applies to"
                                            : metric.undefined_reason();
    std::vector<double> sums(rows.width, 0.0);
    sum_all_rows(rows, sums);
    if (eligible > 0) mr.details = metric.details(sums);
    if (interval_of[m] < intervals.size() && !std::isnan(intervals[interval_of[m]][0]))
      mr.ci95 = intervals[interval_of[m]];
    if (mr.id == st.primary_metric) r.primary_value = primary_value(mr, r.primary_transform);
    r.metrics.push_back(std::move(mr));
  }
  return r;
}

}  // namespace imaxbench
