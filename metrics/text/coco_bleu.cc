#include "metrics/text/coco_bleu.h"

#include <algorithm>
#include <cmath>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/coco_sample.h"

namespace imaxbench {

void CocoBleu::sample_stats(const Sample& sample, const Prediction& prediction,
                            std::span<double> row) const {
  // bleu_1 .. bleu_4 share one row per sample (coco_sample.h).
  if (const auto s = coco_sample(sample, prediction)) std::copy(s->bleu_row.begin(), s->bleu_row.end(), row.begin());
}

double CocoBleu::score(std::span<const double> sums) const {
  // BleuScorer.compute_score, corpus part, operation for operation.
  constexpr double kSmall = 1e-9;
  constexpr double kTiny = 1e-15;
  double bleu = 1.0;
  double result = 0.0;
  for (int k = 0; k < order_; ++k) {
    bleu *= (sums[kCocoCorrect + k] + kTiny) / (sums[kCocoGuess + k] + kSmall);
    result = std::pow(bleu, 1.0 / (k + 1));
  }
  const double ratio = (sums[kCocoTestLen] + kTiny) / (sums[kCocoRefLen] + kSmall);
  if (ratio < 1) result *= std::exp(1 - 1 / ratio);
  return result;
}

std::string CocoBleu::signature() const {
  return "bleu" + std::to_string(order_) + "|tok:ptb|flavor:coco|nrefs:var|v1";
}

std::unique_ptr<Metric> make_coco_bleu_1(const MetricParams& params) {
  ParamReader("bleu_1", params, {});
  return std::make_unique<CocoBleu>(1);
}
std::unique_ptr<Metric> make_coco_bleu_2(const MetricParams& params) {
  ParamReader("bleu_2", params, {});
  return std::make_unique<CocoBleu>(2);
}
std::unique_ptr<Metric> make_coco_bleu_3(const MetricParams& params) {
  ParamReader("bleu_3", params, {});
  return std::make_unique<CocoBleu>(3);
}
std::unique_ptr<Metric> make_coco_bleu_4(const MetricParams& params) {
  ParamReader("bleu_4", params, {});
  return std::make_unique<CocoBleu>(4);
}

}  // namespace imaxbench
