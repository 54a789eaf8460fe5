// The paired bootstrap against sacrebleu's paired_bs test on the same BLEU statistics
// (tests/data/paired_bs.json from tests/golden/gen_paired_bootstrap.py). The two resample with
// different generators, so they agree within Monte Carlo error (10000 resamples each).
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "results/paired_bootstrap.h"

namespace imaxbench {
namespace {

// sacrebleu's corpus BLEU from summed statistics [sys_len, ref_len, correct_1..4, total_1..4],
// default settings (smooth: exp, no effective order), x100 as sacrebleu reports it.
class SacrebleuBleuFromStats : public Metric {
 public:
  AnswerKinds applies_to() const override { return {AnswerKind::kText}; }
  std::size_t num_stats() const override { return 10; }
  void sample_stats(const Sample&, const Prediction&, std::span<double>) const override {}
  std::string signature() const override { return "bleu|sacrebleu-stats|test"; }
  double score(std::span<const double> s) const override {
    const double sys_len = s[0], ref_len = s[1];
    const double bp = sys_len >= ref_len ? 1.0 : sys_len > 0 ? std::exp(1 - ref_len / sys_len) : 0.0;
    bool any = false;
    for (int n = 0; n < 4; ++n) any = any || s[2 + n] > 0;
    if (!any) return 0.0;
    double smooth = 1, log_sum = 0;
    for (int n = 0; n < 4; ++n) {
      const double correct = s[2 + n], total = s[6 + n];
      double p = 0;
      if (total == 0) break;  // sacrebleu stops; the remaining precisions stay 0
      if (correct == 0) {
        smooth *= 2;
        p = 100.0 / (smooth * total);
      } else {
        p = 100.0 * correct / total;
      }
      log_sum += std::log(p);
    }
    for (int n = 0; n < 4; ++n)
      if (s[6 + n] == 0) log_sum += -9999999999.0;  // sacrebleu's my_log(0)
    return bp * std::exp(log_sum / 4);
  }
};

MetricRows rows_of(const nlohmann::json& stats) {
  MetricRows r;
  r.width = 10;
  for (const auto& row : stats)
    for (const auto& v : row) r.rows.push_back(v.get<double>());
  return r;
}

TEST(PairedBootstrapGolden, AgreesWithSacrebleuPairedBs) {
  std::ifstream in(std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/paired_bs.json");
  ASSERT_TRUE(in) << "tests/data/paired_bs.json missing; run tests/golden/gen_paired_bootstrap.py";
  const auto doc = nlohmann::json::parse(in);
  const int resamples = doc["n_samples"];
  SacrebleuBleuFromStats bleu;
  for (const auto& c : doc["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    MetricRows base = rows_of(c["baseline_stats"]), sys = rows_of(c["system_stats"]);
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < base.size(); ++i) keys.push_back(std::to_string(i));
    Resampler resampler(keys);
    BootstrapOptions o;
    o.resamples = resamples;
    std::vector<double> deltas;
    PairedResult r = paired_bootstrap([&](auto idx) { return bleu.score_subset(base, idx); },
                                      [&](auto idx) { return bleu.score_subset(sys, idx); }, resampler, o, &deltas);
    // Corpus scores are exact (same statistics, same formula).
    EXPECT_NEAR(r.a, c["baseline_bleu"].get<double>(), 1e-9);
    EXPECT_NEAR(r.b, c["system_bleu"].get<double>(), 1e-9);

    const double sd = c["delta_sd"].get<double>();
    double mean = 0, var = 0;
    for (double d : deltas) mean += d;
    mean /= double(deltas.size());
    for (double d : deltas) var += (d - mean) * (d - mean);
    const double our_sd = std::sqrt(var / double(deltas.size() - 1));
    // sd estimates from 10000 resamples each carry ~0.7% error: 5% is far outside chance.
    EXPECT_NEAR(our_sd / sd, 1.0, 0.05);
    // A 2.5% quantile from 10000 resamples has standard error ~0.027 sd; the difference of two
    // such estimates ~0.04 sd, so 0.15 sd is ~4 standard errors.
    EXPECT_NEAR(r.ci95[0], c["delta_ci95"][0].get<double>(), 0.15 * sd);
    EXPECT_NEAR(r.ci95[1], c["delta_ci95"][1].get<double>(), 0.15 * sd);
    // p from 10000 resamples has standard error sqrt(p(1-p)/10000) <= 0.005; two of them differ
    // by less than 0.02 with overwhelming probability.
    EXPECT_NEAR(r.p_value, c["p_value"].get<double>(), 0.02);

    // The system's own bootstrap interval, sacrebleu's estimate_ci: half the spread between the
    // n//40-th and (n - n//40 - 1)-th sorted resampled scores.
    std::vector<double> scores(static_cast<std::size_t>(resamples));
    for (int b = 0; b < resamples; ++b) scores[b] = bleu.score_subset(sys, resampler.draw(o.seed, b));
    std::sort(scores.begin(), scores.end());
    const std::size_t lo = scores.size() / 40, hi = scores.size() - lo - 1;
    const double half = 0.5 * (scores[hi] - scores[lo]);
    EXPECT_NEAR(half / c["system_ci_half_width"].get<double>(), 1.0, 0.08);
    double sys_mean = 0;
    for (double s : scores) sys_mean += s;
    sys_mean /= double(scores.size());
    EXPECT_NEAR(sys_mean, c["system_bootstrap_mean"].get<double>(), 0.1 * half);
  }
}

}  // namespace
}  // namespace imaxbench
