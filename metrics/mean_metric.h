// Metrics whose score is the mean of one per-sample value over the samples they apply to
// (accuracy, MAE, mean IoU, token F1, ...). Row: [applies (0/1), value]. A sample the metric does
// not apply to (another answer kind, an open question for a closed-question metric) leaves a zero row.
#pragma once

#include <span>
#include <string>

#include "metrics/metric.h"

namespace imaxbench {

class MeanMetric : public Metric {
 public:
  std::size_t num_stats() const final { return 2; }
  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const final;
  // finish(value sum / count); NaN when no sample applied (an undefined score, never a silent 0).
  double score(std::span<const double> sums) const final;
  // finish(value) of a sample the metric applied to: its own accuracy, IoU, absolute error, ...
  std::optional<double> sample_value(std::span<const double> row) const final {
    if (row.size() < 2 || row[0] == 0) return std::nullopt;
    return finish(row[1]);
  }

 protected:
  // The sample's value; must not throw. Unparsed and missing predictions are handled here too.
  virtual double value(const Sample& sample, const Prediction& prediction) const = 0;
  virtual double finish(double mean) const { return mean; }
};

// A prediction the metrics may read: present in the predictions and understood by its task.
inline bool is_scored(const Prediction& p) { return p.present && p.parsed; }

// Shortest text that reads back as `value`, for signatures ("0.05", "1e-12").
std::string format_number(double value);

}  // namespace imaxbench
