#include "metrics/task_result.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace imaxbench {

double primary_value(const MetricResult& metric, std::string& transform) {
  // A null score stays null: clamping NaN would turn "nothing scored" into a perfect 1 or a 0.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (metric.higher_is_better && metric.bounded) {
    transform = "identity";
    return metric.score;
  }
  if (!metric.higher_is_better) {
    // Error metrics (MAE of a ratio) become "1 - error", floored at 0, so lower error ranks higher.
    transform = "1-min(1," + metric.id + ")";
    return std::isnan(metric.score) ? nan : 1.0 - std::min(1.0, std::max(0.0, metric.score));
  }
  transform = "min(1," + metric.id + ")";  // unbounded higher-is-better (CIDEr-D)
  return std::isnan(metric.score) ? nan : std::min(1.0, std::max(0.0, metric.score));
}

}  // namespace imaxbench
