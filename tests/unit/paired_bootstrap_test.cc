// Paired bootstrap against closed forms: a mean of 0/1 differences, whose bootstrap distribution
// has a known variance (with and without image clusters); sacrebleu's p-value rule; McNemar.
#include "results/paired_bootstrap.h"

#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

namespace imaxbench {
namespace {

// Accuracy as a summed metric: row [correct, 1].
class Accuracy : public Metric {
 public:
  AnswerKinds applies_to() const override { return {AnswerKind::kClass}; }
  std::size_t num_stats() const override { return 2; }
  void sample_stats(const Sample&, const Prediction&, std::span<double>) const override {}
  double score(std::span<const double> s) const override { return s[1] > 0 ? s[0] / s[1] : NAN; }
  std::string signature() const override { return "accuracy|test"; }
};

MetricRows rows_of(const std::vector<int>& correct) {
  MetricRows r;
  r.width = 2;
  for (int c : correct) r.rows.insert(r.rows.end(), {double(c), 1.0});
  return r;
}

SubsetScore score_of(const Metric& m, const MetricRows& rows) {
  return [&](std::span<const std::uint32_t> idx) { return m.score_subset(rows, idx); };
}

std::vector<std::string> unique_keys(std::size_t n) {
  std::vector<std::string> k(n);
  for (std::size_t i = 0; i < n; ++i) k[i] = std::to_string(i);
  return k;
}

double variance(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  double s = 0;
  for (double x : v) s += (x - mean) * (x - mean);
  return s / double(v.size() - 1);
}

// A right on 70% of 2000 samples, B on 74%, in a fixed interleaved pattern.
struct Fixture {
  std::vector<int> a, b;
  Fixture(std::size_t n = 2000) {
    for (std::size_t i = 0; i < n; ++i) {
      a.push_back(i % 10 < 7);
      b.push_back((i % 50) < 37);
    }
  }
  double plugin_var_of_d() const {  // (1/n) sum (d_i - dbar)^2
    const double n = double(a.size());
    double dbar = 0;
    for (std::size_t i = 0; i < a.size(); ++i) dbar += b[i] - a[i];
    dbar /= n;
    double v = 0;
    for (std::size_t i = 0; i < a.size(); ++i) v += (b[i] - a[i] - dbar) * (b[i] - a[i] - dbar);
    return v / n;
  }
};

TEST(PairedBootstrap, MeanDifferenceMatchesClosedFormVariance) {
  Fixture f;
  Accuracy acc;
  MetricRows ra = rows_of(f.a), rb = rows_of(f.b);
  auto keys = unique_keys(f.a.size());
  Resampler resampler(keys);
  BootstrapOptions o;
  o.resamples = 4000;
  std::vector<double> deltas;
  PairedResult r = paired_bootstrap(score_of(acc, ra), score_of(acc, rb), resampler, o, &deltas);
  EXPECT_DOUBLE_EQ(r.a, 0.7);
  EXPECT_DOUBLE_EQ(r.b, 0.74);
  EXPECT_NEAR(r.delta, 0.04, 1e-12);
  ASSERT_EQ(deltas.size(), 4000u);
  // The bootstrap mean of d* has variance var_plugin(d) / n exactly; its estimate from B resamples
  // has relative standard error sqrt(2 / (B - 1)) = 2.2%, so 10% is > 4 standard errors.
  const double expected_var = f.plugin_var_of_d() / double(f.a.size());
  EXPECT_NEAR(variance(deltas) / expected_var, 1.0, 0.10);
  const double sd = std::sqrt(expected_var);
  EXPECT_NEAR(std::accumulate(deltas.begin(), deltas.end(), 0.0) / 4000.0, 0.04, 4 * sd / std::sqrt(4000.0));
  // n = 2000: the distribution is close to normal, so the percentile interval is near delta +- 1.96 sd.
  EXPECT_NEAR(r.ci95[0], 0.04 - 1.96 * sd, 0.15 * sd);
  EXPECT_NEAR(r.ci95[1], 0.04 + 1.96 * sd, 0.15 * sd);
  EXPECT_LT(r.p_value, 0.05);  // 0.04 is ~2.9 sd from 0
  EXPECT_TRUE(r.has_ci);
}

TEST(PairedBootstrap, ClusteredCopiesDoubleTheVariance) {
  // Every sample appears twice under one image_id: resampling whole images has the variance of
  // n clusters of identical pairs, i.e. the unclustered variance of the n distinct samples.
  Fixture f(1000);
  std::vector<int> a2, b2;
  std::vector<std::string> image_keys, sample_keys;
  for (std::size_t i = 0; i < f.a.size(); ++i)
    for (int copy = 0; copy < 2; ++copy) {
      a2.push_back(f.a[i]);
      b2.push_back(f.b[i]);
      image_keys.push_back("img" + std::to_string(i));
      sample_keys.push_back(std::to_string(2 * i + copy));
    }
  Accuracy acc;
  MetricRows ra = rows_of(a2), rb = rows_of(b2);
  BootstrapOptions o;
  o.resamples = 4000;
  std::vector<double> clustered, independent;
  paired_bootstrap(score_of(acc, ra), score_of(acc, rb), Resampler(image_keys), o, &clustered);
  paired_bootstrap(score_of(acc, ra), score_of(acc, rb), Resampler(sample_keys), o, &independent);
  const double v1 = f.plugin_var_of_d() / double(f.a.size());  // n = 1000 clusters
  EXPECT_NEAR(variance(clustered) / v1, 1.0, 0.10);
  EXPECT_NEAR(variance(independent) / (v1 / 2), 1.0, 0.10);  // 2000 "independent" samples
}

TEST(PairedBootstrap, SameSeedSameResultAndIdenticalRunsAreNotSignificant) {
  Fixture f(300);
  Accuracy acc;
  MetricRows ra = rows_of(f.a), rb = rows_of(f.b);
  auto keys = unique_keys(300);
  Resampler resampler(keys);
  BootstrapOptions o;
  o.resamples = 500;
  PairedResult r1 = paired_bootstrap(score_of(acc, ra), score_of(acc, rb), resampler, o);
  PairedResult r2 = paired_bootstrap(score_of(acc, ra), score_of(acc, rb), resampler, o);
  EXPECT_EQ(r1.ci95, r2.ci95);
  EXPECT_EQ(r1.p_value, r2.p_value);
  PairedResult same = paired_bootstrap(score_of(acc, ra), score_of(acc, ra), resampler, o);
  EXPECT_EQ(same.delta, 0);
  EXPECT_EQ(same.p_value, 1.0);
}

TEST(PairedBootstrap, PValueFollowsSacrebleuRule) {
  // |d| = {1, 2, 3, 6}: mean 3, centred {-2, -1, 0, 3}; observed 2 -> one exceeds -> (1+1)/(4+1).
  std::vector<double> d = {1, -2, 3, 6};
  EXPECT_DOUBLE_EQ(paired_bs_p_value(d, 2.0), 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(paired_bs_p_value(d, -2.0), 2.0 / 5.0);  // two-sided
  EXPECT_DOUBLE_EQ(paired_bs_p_value(d, 3.0), 1.0 / 5.0);   // strict ">"
  EXPECT_DOUBLE_EQ(paired_bs_p_value(d, 0.0), 2.0 / 5.0);   // only the centred 3 exceeds 0
  EXPECT_TRUE(std::isnan(paired_bs_p_value({}, 1.0)));
}

TEST(McNemar, ExactBinomialPValues) {
  EXPECT_DOUBLE_EQ(mcnemar_exact_p(0, 0), 1.0);
  EXPECT_NEAR(mcnemar_exact_p(0, 5), 2.0 / 32.0, 1e-12);
  // scipy.stats.binomtest(3, 13).pvalue == 2 * (1 + 13 + 78 + 286) / 8192
  EXPECT_NEAR(mcnemar_exact_p(3, 10), 2.0 * 378.0 / 8192.0, 1e-12);
  EXPECT_NEAR(mcnemar_exact_p(10, 3), 2.0 * 378.0 / 8192.0, 1e-12);
  EXPECT_DOUBLE_EQ(mcnemar_exact_p(7, 7), 1.0);
  // Large n (0.5^n underflows): scipy.stats.binomtest(1000, 2100).pvalue = 0.030720707864
  EXPECT_NEAR(mcnemar_exact_p(1000, 1100), 0.030720707864, 1e-9);
  EXPECT_DOUBLE_EQ(mcnemar_exact_p(1000, 1000), 1.0);
}

TEST(McNemar, CountsDiscordantPairsOfAccuracyTypeMetrics) {
  Accuracy acc;
  MetricRows ra = rows_of({1, 1, 0, 0, 1}), rb = rows_of({1, 0, 1, 1, 1});
  std::vector<std::uint32_t> idx = {0, 1, 2, 3, 4};
  auto oa = binary_outcomes(acc, ra, idx), ob = binary_outcomes(acc, rb, idx);
  ASSERT_TRUE(oa && ob);
  McNemar m = mcnemar(*oa, *ob);
  EXPECT_EQ(m.a_right_b_wrong, 1u);
  EXPECT_EQ(m.a_wrong_b_right, 2u);
  EXPECT_DOUBLE_EQ(m.p_value, 1.0);
  // A value that is not 0 or 1 (IoU, F1) is not accuracy-type.
  MetricRows fractional;
  fractional.width = 2;
  fractional.rows = {0.5, 1, 1, 1};
  std::vector<std::uint32_t> two = {0, 1};
  EXPECT_FALSE(binary_outcomes(acc, fractional, two));
}

// A corpus metric that scores every single sample 0, as CIDEr-D does (idf log 1 - log 1), but a
// larger subset otherwise: turned away after the 64-sample probe, not after one score per sample.
class SingleSamplesScoreZero : public Metric {
 public:
  AnswerKinds applies_to() const override { return {AnswerKind::kText}; }
  std::size_t num_stats() const override { return 1; }
  void sample_stats(const Sample&, const Prediction&, std::span<double>) const override {}
  double score(std::span<const double> s) const override { return s[0] > 1 ? 0.5 : 0.0; }
  double score_subset(const MetricRows& rows, std::span<const std::uint32_t> idx) const override {
    ++calls;
    return Metric::score_subset(rows, idx);
  }
  std::string signature() const override { return "corpus|test"; }
  mutable std::size_t calls = 0;
};

TEST(McNemar, CorpusMetricIsTurnedAwayAfterTheProbe) {
  SingleSamplesScoreZero corpus;
  MetricRows rows;
  rows.width = 1;
  rows.rows.assign(10000, 1.0);
  std::vector<std::uint32_t> idx(10000);
  for (std::uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  EXPECT_FALSE(binary_outcomes(corpus, rows, idx));
  EXPECT_EQ(corpus.calls, 65u);
  // Accuracy-type on more samples than the probe: every sample's outcome.
  Accuracy acc;
  std::vector<int> correct(200);
  for (std::size_t i = 0; i < correct.size(); ++i) correct[i] = i % 3 == 0;
  const MetricRows ra = rows_of(correct);
  std::vector<std::uint32_t> all(200);
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto out = binary_outcomes(acc, ra, all);
  ASSERT_TRUE(out);
  for (std::size_t i = 0; i < correct.size(); ++i) EXPECT_EQ((*out)[i], correct[i]) << i;
}

}  // namespace
}  // namespace imaxbench
