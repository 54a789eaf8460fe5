#include "metrics/metric.h"

#include <algorithm>
#include <limits>

#include <tbb/parallel_for.h>

#include "metrics/resample_scorer.h"

namespace imaxbench {

std::vector<MetricRows> compute_metric_rows(std::span<const Metric* const> metrics,
                                            std::span<const Sample* const> samples,
                                            std::span<const Prediction> predictions) {
  const std::size_t n = samples.size();
  std::vector<MetricRows> rows(metrics.size());
  std::vector<std::vector<std::shared_ptr<const SampleExtra>>> extras(metrics.size());
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    rows[m].width = metrics[m]->num_stats();
    rows[m].rows.assign(n * rows[m].width, 0.0);
    extras[m].resize(n);
  }
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    rows[m].applies.resize(n);
    for (std::size_t i = 0; i < n; ++i) rows[m].applies[i] = metrics[m]->applies(*samples[i]) ? 1 : 0;
  }
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      MetricRows& r = rows[m];
      if (!r.applies[i]) continue;
      metrics[m]->sample_stats(*samples[i], predictions[i], {r.rows.data() + i * r.width, r.width});
      extras[m][i] = metrics[m]->sample_extra(*samples[i], predictions[i]);
    }
  });
  // Only corpus-level metrics keep per-sample extras; the others leave the list empty.
  for (std::size_t m = 0; m < metrics.size(); ++m)
    if (std::any_of(extras[m].begin(), extras[m].end(), [](const auto& e) { return e != nullptr; }))
      rows[m].extras = std::move(extras[m]);
  return rows;
}

namespace {

// sum_rows() for rows of W values, summed in locals, which stay in registers: through `sums`,
// which might overlap the rows, every add was a load and a store. Each column adds the same
// values in the same order.
template <std::size_t W>
void sum_fixed_rows(const double* rows, std::span<const std::uint32_t> indices, std::span<double> sums) {
  double acc[W] = {};
  for (std::uint32_t i : indices) {
    const double* row = rows + std::size_t{i} * W;
    for (std::size_t k = 0; k < W; ++k) acc[k] += row[k];
  }
  std::copy(acc, acc + W, sums.begin());
}

}  // namespace

void sum_rows(const MetricRows& stats, std::span<const std::uint32_t> indices,
              std::span<double> sums) {
  // The widths the bootstrap meets most: the mean metrics' and ROUGE's 2, CIDEr-D's 1, BLEU's 10
  // (both flavours), for which this is most of a resample's cost.
  switch (stats.width) {
    case 1: return sum_fixed_rows<1>(stats.rows.data(), indices, sums);
    case 2: return sum_fixed_rows<2>(stats.rows.data(), indices, sums);
    case 10: return sum_fixed_rows<10>(stats.rows.data(), indices, sums);
    default: break;
  }
  std::fill(sums.begin(), sums.end(), 0.0);
  for (std::uint32_t i : indices) {
    auto row = stats.row(i);
    for (std::size_t k = 0; k < stats.width; ++k) sums[k] += row[k];
  }
}

void sum_all_rows(const MetricRows& stats, std::span<double> sums) {
  std::fill(sums.begin(), sums.end(), 0.0);
  const std::size_t n = stats.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto row = stats.row(i);
    for (std::size_t k = 0; k < stats.width; ++k) sums[k] += row[k];
  }
}

std::size_t MetricRows::eligible() const {
  if (applies.empty()) return size();
  return static_cast<std::size_t>(std::count(applies.begin(), applies.end(), std::uint8_t{1}));
}

double score_if_eligible(const Metric& metric, const MetricRows& stats,
                         std::span<const std::uint32_t> indices) {
  const bool any = stats.applies.empty()
                       ? !indices.empty()
                       : std::any_of(indices.begin(), indices.end(), [&](std::uint32_t i) {
                           return i < stats.applies.size() && stats.applies[i];
                         });
  return any ? metric.score_subset(stats, indices) : std::numeric_limits<double>::quiet_NaN();
}

double Metric::score_subset(const MetricRows& stats, std::span<const std::uint32_t> indices) const {
  std::vector<double> sums(stats.width, 0.0);
  sum_rows(stats, indices, sums);
  return score(sums);
}

std::unique_ptr<ResampleScorer> Metric::resample_scorer(const MetricRows& stats) const {
  return std::make_unique<SubsetResampleScorer>(*this, stats);
}

}  // namespace imaxbench
