// Metrics of the calculation task (cardiothoracic ratio, CTR; cardiopulmonary area ratio, CPAR):
// Prediction::number against Sample::ref_number, over calculation samples only.
//
// An unparsed, missing or non-finite prediction must never look good. For the errors (MAE, RMSE)
// it enters with the worst error a guess inside the valid range [0, 1] can have, max(ref, 1-ref),
// never 0; for the agreement metrics it is simply wrong.
#include <algorithm>
#include <cmath>
#include <string>

#include "metrics/mean_metric.h"
#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "core/error.h"

namespace imaxbench {

namespace {

bool usable(const Prediction& p) { return is_scored(p) && std::isfinite(p.number); }

// |pred - ref|, or the worst error inside [0, 1] when there is no usable prediction.
double abs_error(const Sample& s, const Prediction& p) {
  if (!usable(p)) return std::max(std::fabs(s.ref_number), std::fabs(1.0 - s.ref_number));
  return std::fabs(p.number - s.ref_number);
}

class CalculationMetric : public MeanMetric {
 public:
  AnswerKinds applies_to() const override { return {AnswerKind::kNumber}; }
};

class Mae final : public CalculationMetric {
 public:
  std::string signature() const override { return "mae|unparsed:worst|v1"; }
  bool higher_is_better() const override { return false; }
  bool bounded() const override { return false; }

 protected:
  double value(const Sample& s, const Prediction& p) const override { return abs_error(s, p); }
};

class Rmse final : public CalculationMetric {
 public:
  std::string signature() const override { return "rmse|unparsed:worst|v1"; }
  bool higher_is_better() const override { return false; }
  bool bounded() const override { return false; }

 protected:
  double value(const Sample& s, const Prediction& p) const override {
    const double e = abs_error(s, p);
    return e * e;
  }
  double finish(double mean) const override { return std::sqrt(mean); }
};

// A hit when |pred - ref| <= tolerance. The 1e-12 slack keeps decimal ties such as 0.55 vs 0.50
// at tolerance 0.05 (0.0500000000000000444 in binary) from being scored by rounding noise.
class AccWithin final : public CalculationMetric {
 public:
  explicit AccWithin(const MetricParams& params) {
    ParamReader reader("acc_within", params, {"tolerance"});
    tolerance_ = reader.number("tolerance", 0.05);
    if (tolerance_ < 0) throw Error("metric 'acc_within': parameter 'tolerance' must be >= 0");
  }
  std::string signature() const override {
    return "acc_within|tol:" + format_number(tolerance_) + "|slack:1e-12|unparsed:wrong|v1";
  }

 protected:
  double value(const Sample& s, const Prediction& p) const override {
    return usable(p) && std::fabs(p.number - s.ref_number) <= tolerance_ + kSlack ? 1.0 : 0.0;
  }

 private:
  static constexpr double kSlack = 1e-12;
  double tolerance_ = 0.05;
};

// Cardiomegaly is called when the ratio exceeds the threshold (CTR > 0.5 by convention); the
// metric is the fraction of samples where prediction and reference make the same call.
class CardiomegalyAgreement final : public CalculationMetric {
 public:
  explicit CardiomegalyAgreement(const MetricParams& params) {
    ParamReader reader("cardiomegaly_agreement", params, {"threshold"});
    threshold_ = reader.number("threshold", 0.5);
  }
  std::string signature() const override {
    return "cardiomegaly_agreement|thr:" + format_number(threshold_) +
           "|call:gt|unparsed:wrong|v1";
  }

 protected:
  double value(const Sample& s, const Prediction& p) const override {
    if (!usable(p)) return 0.0;
    return (p.number > threshold_) == (s.ref_number > threshold_) ? 1.0 : 0.0;
  }

 private:
  double threshold_ = 0.5;
};

}  // namespace

std::unique_ptr<Metric> make_mae(const MetricParams& params) {
  ParamReader("mae", params, {});
  return std::make_unique<Mae>();
}

std::unique_ptr<Metric> make_rmse(const MetricParams& params) {
  ParamReader("rmse", params, {});
  return std::make_unique<Rmse>();
}

std::unique_ptr<Metric> make_acc_within(const MetricParams& params) {
  return std::make_unique<AccWithin>(params);
}

std::unique_ptr<Metric> make_cardiomegaly_agreement(const MetricParams& params) {
  return std::make_unique<CardiomegalyAgreement>(params);
}

}  // namespace imaxbench
