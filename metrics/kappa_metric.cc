// kappa_quadratic: Cohen's kappa with quadratic weights on ordinal classes (e.g. edema grades
// 0..3), equal to sklearn's cohen_kappa_score(weights="quadratic", labels=range(K)): the weight
// of a disagreement is the squared distance between class indices.
//
// Quadratic weights make the statistic a function of six sums, so rows stay small whatever K is:
//   observed = sum (t - p)^2,  expected = (n (sum t^2 + sum p^2) - 2 sum t sum p) / n
//   kappa = 1 - n * sum (t - p)^2 / (n (sum t^2 + sum p^2) - 2 sum t sum p)
// Every sum is an integer, exact in a double, so the one division is the only rounding.
// An unparsed or missing answer is scored as the class farthest from the truth (class 0 or K-1;
// on a tie, 0). When the expected disagreement is 0 (every reference and answer the same class)
// kappa is undefined: NaN, as sklearn.
#include <limits>
#include <string>

#include "metrics/class_counts.h"
#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "core/error.h"

namespace imaxbench {

namespace {

enum Column : std::size_t { kN, kSumT, kSumP, kSumT2, kSumP2, kSumD2, kMalformed, kWidth };

class KappaQuadratic final : public Metric {
 public:
  AnswerKinds applies_to() const override { return {AnswerKind::kClass}; }
  std::string undefined_reason() const override {
    return "kappa is undefined when the expected disagreement is 0 (every reference and answer "
           "the same class)";
  }
  std::size_t num_stats() const override { return kWidth; }

  void sample_stats(const Sample& s, const Prediction& p, std::span<double> row) const override {
    if (class_kind(s) != ClassKind::kMulticlass) return;
    row[kN] = 1;
    const int k = static_cast<int>(s.classes.size());
    if (s.ref_class >= k) {
      row[kMalformed] = 1;
      return;
    }
    const double t = s.ref_class;
    int guess = predicted_class(s, p);
    if (guess < 0) guess = s.ref_class < (k - 1) - s.ref_class ? k - 1 : 0;
    const double g = guess;
    row[kSumT] = t;
    row[kSumP] = g;
    row[kSumT2] = t * t;
    row[kSumP2] = g * g;
    row[kSumD2] = (t - g) * (t - g);
  }

  double score(std::span<const double> sums) const override {
    if (sums[kMalformed] > 0)
      throw Error("metric 'kappa_quadratic': " +
                  std::to_string(static_cast<long long>(sums[kMalformed])) +
                  " samples have a reference class outside their class list");
    const double n = sums[kN];
    const double expected_n = n * (sums[kSumT2] + sums[kSumP2]) - 2 * sums[kSumT] * sums[kSumP];
    if (n <= 0 || expected_n == 0) return std::numeric_limits<double>::quiet_NaN();
    return 1.0 - n * sums[kSumD2] / expected_n;
  }

  std::string signature() const override {
    return "kappa_quadratic|weights:quadratic|labels:0..K-1|unparsed:farthest_class|v1";
  }
  // Kappa lies in [-1, 1]; not a fraction in [0, 1].
  bool bounded() const override { return false; }
};

}  // namespace

std::unique_ptr<Metric> make_kappa_quadratic(const MetricParams& params) {
  ParamReader("kappa_quadratic", params, {});
  return std::make_unique<KappaQuadratic>();
}

}  // namespace imaxbench
