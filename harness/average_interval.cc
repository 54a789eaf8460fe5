#include "harness/average_interval.h"

#include <cmath>
#include <limits>
#include <memory>

#include "metrics/resample_scorer.h"
#include "metrics/task_result.h"

namespace imaxbench {

double primary_points(const Metric& metric, const std::string& id, double score, std::string* transform) {
  MetricResult mr;
  mr.id = id;
  mr.score = score;
  mr.higher_is_better = metric.higher_is_better();
  mr.bounded = metric.bounded();
  std::string t;
  const double v = std::isnan(score) ? std::numeric_limits<double>::quiet_NaN() : 100.0 * primary_value(mr, t);
  if (transform) *transform = t;
  return v;
}

std::optional<std::array<double, 2>> average_ci95(const std::vector<TaskEvaluation>& evals,
                                                  const BootstrapOptions& options) {
  if (options.resamples <= 0 || evals.empty()) return std::nullopt;
  struct Part {
    const Metric* metric;
    std::string id;
    double weight;
    std::shared_ptr<const ResampleScorer> scorer;
  };
  std::vector<Part> parts;
  std::vector<std::string> keys;          // every task's samples, task by task
  std::vector<std::uint32_t> part_of, local;  // which task a global index is, and its row there
  for (const TaskEvaluation& e : evals) {
    const SuiteTask& st = *e.suite_task;
    std::size_t m = 0;
    while (m < st.metrics.size() && st.metrics[m].id != st.primary_metric) ++m;
    if (m == st.metrics.size() || e.rows[m].eligible() == 0) return std::nullopt;
    parts.push_back({e.metrics[m].get(), st.metrics[m].id, st.weight, e.metrics[m]->resample_scorer(e.rows[m])});
    for (std::uint32_t j = 0; j < e.samples.size(); ++j) {
      keys.push_back(options.cluster_by_image ? e.samples[j]->image_id : e.samples[j]->id);
      part_of.push_back(static_cast<std::uint32_t>(parts.size() - 1));
      local.push_back(j);
    }
  }
  const Resampler resampler(keys);
  std::vector<double> averages(static_cast<std::size_t>(options.resamples), std::numeric_limits<double>::quiet_NaN());
  for_each_resample_batch(resampler, options, [&](std::size_t first, std::span<const std::span<const std::uint32_t>> draws) {
    std::vector<double> sum(draws.size(), 0.0), weights(draws.size(), 0.0), score(draws.size());
    std::vector<bool> defined(draws.size(), true);
    for (std::size_t p = 0; p < parts.size(); ++p) {
      std::vector<std::vector<std::uint32_t>> rows(draws.size());
      for (std::size_t k = 0; k < draws.size(); ++k)
        for (std::uint32_t g : draws[k])
          if (part_of[g] == p) rows[k].push_back(local[g]);
      const std::vector<std::span<const std::uint32_t>> spans(rows.begin(), rows.end());
      parts[p].scorer->score(spans, score);
      for (std::size_t k = 0; k < draws.size(); ++k) {
        const double v = primary_points(*parts[p].metric, parts[p].id, score[k]);
        if (std::isnan(v)) defined[k] = false;  // as in a results file: a task without a score voids the average
        sum[k] += parts[p].weight * v;
        weights[k] += parts[p].weight;
      }
    }
    for (std::size_t k = 0; k < draws.size(); ++k)
      if (defined[k] && weights[k] > 0) averages[first + k] = sum[k] / weights[k];
  });
  std::erase_if(averages, [](double v) { return std::isnan(v); });
  if (averages.empty()) return std::nullopt;
  return std::array<double, 2>{percentile(averages, 2.5), percentile(averages, 97.5)};
}

}  // namespace imaxbench
