#include "metrics/bootstrap.h"

#include <cmath>
#include <numeric>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

namespace imaxbench {
namespace {

// Mean of one column: the simplest summed metric.
class MeanMetric : public Metric {
 public:
  AnswerKinds applies_to() const override { return {AnswerKind::kNumber}; }
  std::size_t num_stats() const override { return 2; }
  void sample_stats(const Sample&, const Prediction& p, std::span<double> row) const override {
    row[0] = p.number;
    row[1] = 1;
  }
  double score(std::span<const double> s) const override { return s[1] > 0 ? s[0] / s[1] : NAN; }
  std::string signature() const override { return "mean|test"; }
};

MetricRows rows_of(const std::vector<double>& values) {
  MetricRows rows;
  rows.width = 2;
  for (double v : values) {
    rows.rows.push_back(v);
    rows.rows.push_back(1);
  }
  return rows;
}

TEST(Bootstrap, PercentileMatchesNumpyLinearRule) {
  // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) == [1.075, 2.5, 3.925]
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 2.5), 1.075);
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 97.5), 3.925);
  EXPECT_TRUE(std::isnan(percentile({}, 50)));
}

TEST(Bootstrap, BoundedDrawsAreUniform) {
  SplitMix64 rng(7);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i) ++counts[rng.below(6)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);  // ~4 sigma
}

TEST(Bootstrap, ClustersAreDrawnWhole) {
  std::vector<std::string> keys = {"a", "a", "a", "b", "c", "c"};
  Resampler r(keys);
  for (std::uint64_t b = 0; b < 50; ++b) {
    auto idx = r.draw(1, b);
    // Samples of cluster "a" (0,1,2) always come as the run 0,1,2.
    for (std::size_t i = 0; i < idx.size(); ++i)
      if (idx[i] == 0) {
        ASSERT_LE(i + 2, idx.size() - 1 + 1);
        EXPECT_EQ(idx[i + 1], 1u);
        EXPECT_EQ(idx[i + 2], 2u);
      }
  }
}

// For the mean of n Bernoulli draws with k ones, the bootstrap distribution of the mean has
// standard deviation sqrt(p(1-p)/n); the 95% interval is close to p ± 1.96 of that.
TEST(Bootstrap, IntervalOfAMeanMatchesTheClosedForm) {
  const int n = 400, k = 120;
  std::vector<double> v(n, 0.0);
  std::fill(v.begin(), v.begin() + k, 1.0);
  auto rows = rows_of(v);
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i) keys.push_back(std::to_string(i));
  Resampler r(keys);
  BootstrapOptions o;
  o.resamples = 4000;
  auto ci = bootstrap_ci95(MeanMetric(), rows, r, o);
  const double p = double(k) / n, se = std::sqrt(p * (1 - p) / n);
  EXPECT_NEAR(ci[0], p - 1.96 * se, 0.006);
  EXPECT_NEAR(ci[1], p + 1.96 * se, 0.006);
}

TEST(Bootstrap, SameSeedSameIntervalOnAnyThreadCount) {
  std::vector<double> v;
  for (int i = 0; i < 300; ++i) v.push_back(std::sin(i * 0.37));
  auto rows = rows_of(v);
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) keys.push_back(std::to_string(i / 3));
  Resampler r(keys);
  BootstrapOptions o;
  std::array<double, 2> one, many;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = bootstrap_ci95(MeanMetric(), rows, r, o);
  }
  many = bootstrap_ci95(MeanMetric(), rows, r, o);
  EXPECT_EQ(one, many);
  o.seed += 1;
  EXPECT_NE(bootstrap_ci95(MeanMetric(), rows, r, o), one);
}

}  // namespace
}  // namespace imaxbench
