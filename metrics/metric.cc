#include "metrics/metric.h"

#include <algorithm>

namespace imaxbench {

void sum_rows(const MetricRows& stats, std::span<const std::uint32_t> indices,
              std::span<double> sums) {
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

double Metric::score_subset(const MetricRows& stats, std::span<const std::uint32_t> indices) const {
  std::vector<double> sums(stats.width, 0.0);
  sum_rows(stats, indices, sums);
  return score(sums);
}

}  // namespace imaxbench
