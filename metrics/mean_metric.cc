#include "metrics/mean_metric.h"

#include <charconv>
#include <limits>

namespace imaxbench {

void MeanMetric::sample_stats(const Sample& sample, const Prediction& prediction,
                              std::span<double> row) const {
  if (!applies(sample)) return;
  row[0] = 1.0;
  row[1] = value(sample, prediction);
}

double MeanMetric::score(std::span<const double> sums) const {
  if (sums[0] <= 0) return std::numeric_limits<double>::quiet_NaN();
  return finish(sums[1] / sums[0]);
}

std::string format_number(double value) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace imaxbench
