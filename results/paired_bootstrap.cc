#include "results/paired_bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <tbb/parallel_invoke.h>

#include "metrics/resample_scorer.h"

namespace imaxbench {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double paired_bs_p_value(std::span<const double> deltas, double observed) {
  if (deltas.empty()) return kNaN;
  double mean_abs = 0;
  for (double d : deltas) mean_abs += std::abs(d);
  mean_abs /= double(deltas.size());
  const double real = std::abs(observed);
  // Two runs that agree on every resample (the same answers) show no difference at all; the rule
  // below would give its smallest p there, so this one case is p = 1.
  if (real == 0 && mean_abs == 0) return 1.0;
  std::size_t c = 0;
  for (double d : deltas)
    if (std::abs(d) - mean_abs > real) ++c;
  return double(c + 1) / double(deltas.size() + 1);
}

PairedResult paired_bootstrap(const SubsetScore& a, const SubsetScore& b, const Resampler& resampler,
                              const BootstrapOptions& options, std::vector<double>* deltas_out) {
  auto batched = [](const SubsetScore& f) {
    return [&f](std::span<const std::span<const std::uint32_t>> subsets, std::span<double> out) {
      for (std::size_t k = 0; k < subsets.size(); ++k) out[k] = f(subsets[k]);
    };
  };
  return paired_bootstrap_batched(batched(a), batched(b), resampler, options, deltas_out);
}

namespace {

// One side pair's result from the whole-set scores and the kept resampled differences.
PairedResult summarize_paired(double a, double b, std::vector<double> deltas, std::vector<double>* deltas_out) {
  PairedResult r;
  r.a = a;
  r.b = b;
  r.delta = b - a;
  r.ci95 = {kNaN, kNaN};
  r.p_value = kNaN;
  std::erase_if(deltas, [](double d) { return std::isnan(d); });
  r.resamples = deltas.size();
  if (!deltas.empty() && !std::isnan(r.delta)) {
    r.ci95 = {percentile(deltas, 2.5), percentile(deltas, 97.5)};
    r.p_value = paired_bs_p_value(deltas, r.delta);
    r.has_ci = true;
  }
  if (deltas_out) *deltas_out = std::move(deltas);
  return r;
}

}  // namespace

std::vector<SideScores> score_side(std::span<const BatchScoreMaker> metrics, const Resampler& resampler,
                                   const BootstrapOptions& options) {
  const std::size_t resamples =
      options.resamples > 0 && resampler.num_samples() > 0 ? static_cast<std::size_t>(options.resamples) : 0;
  std::vector<BatchScore> scorers;
  for (const BatchScoreMaker& make : metrics) scorers.push_back(make());
  std::vector<std::uint32_t> all(resampler.num_samples());
  std::iota(all.begin(), all.end(), 0u);
  const std::span<const std::uint32_t> whole[] = {all};
  std::vector<SideScores> out(metrics.size());
  for (SideScores& o : out) o.resampled.resize(resamples);
  // The whole set beside the resamples: a batch scorer (CIDEr-D's) takes as long for one subset as
  // for a batch, on one thread, which would otherwise leave the other threads idle meanwhile.
  tbb::parallel_invoke(
      [&] {
        for (std::size_t m = 0; m < metrics.size(); ++m) scorers[m](whole, {&out[m].whole, 1});
      },
      [&] {
        if (resamples == 0) return;
        for_each_resample_batch(resampler, options, [&](std::size_t first, auto draws) {
          for (std::size_t m = 0; m < metrics.size(); ++m)
            scorers[m](draws, {out[m].resampled.data() + first, draws.size()});
        });
      });
  return out;
}

std::pair<PairedResult, PairedResult> pair_side_scores(const SideScores& a, const SideScores& b,
                                                       const PointsTransform* points,
                                                       std::vector<double>* deltas_out) {
  const std::size_t n = std::min(a.resampled.size(), b.resampled.size());
  std::vector<double> deltas(n), point_deltas(points ? n : 0);
  for (std::size_t k = 0; k < n; ++k) {
    deltas[k] = b.resampled[k] - a.resampled[k];  // NaN when either is undefined on this resample
    if (points) point_deltas[k] = points->b(b.resampled[k]) - points->a(a.resampled[k]);
  }
  // Without resamples there are no differences: the whole-set scores alone, deltas_out untouched.
  PairedResult scores = summarize_paired(a.whole, b.whole, std::move(deltas), n > 0 ? deltas_out : nullptr);
  PairedResult in_points = points ? summarize_paired(points->a(a.whole), points->b(b.whole),
                                                     std::move(point_deltas), nullptr)
                                  : PairedResult{};
  return {std::move(scores), std::move(in_points)};
}

PairedResult paired_bootstrap_batched(const BatchScore& a, const BatchScore& b, const Resampler& resampler,
                                      const BootstrapOptions& options, std::vector<double>* deltas_out) {
  const BatchScoreMaker make_a = [&a] { return a; }, make_b = [&b] { return b; };
  const SideScores sa = score_side({&make_a, 1}, resampler, options).front();
  const SideScores sb = score_side({&make_b, 1}, resampler, options).front();
  return pair_side_scores(sa, sb, nullptr, deltas_out).first;
}

double mcnemar_exact_p(std::size_t b, std::size_t c) {
  const std::size_t n = b + c, k = std::min(b, c);
  if (n == 0) return 1.0;
  // Sum the binomial tail in log space: n can be thousands, where 0.5^n underflows.
  const double log_half_n = double(n) * std::log(0.5);
  double tail = 0;
  for (std::size_t i = 0; i <= k; ++i)
    tail += std::exp(std::lgamma(double(n) + 1) - std::lgamma(double(i) + 1) -
                     std::lgamma(double(n - i) + 1) + log_half_n);
  return std::min(1.0, 2.0 * tail);
}

std::optional<std::vector<std::int8_t>> binary_outcomes(const Metric& metric, const MetricRows& rows,
                                                        std::span<const std::uint32_t> indices) {
  // The score of the first kProbe samples, and then of all, must be the mean of their own scores.
  // The probe stops a corpus metric early: CIDEr-D scores every single sample 0 (its idf is
  // log 1 - log 1), and each of those scores costs a pass over the corpus's n-gram table.
  constexpr std::size_t kProbe = 64;
  std::vector<std::int8_t> out(indices.size(), -1);
  double sum = 0;
  std::size_t defined = 0;
  auto is_mean_so_far = [&](std::span<const std::uint32_t> scored) {
    return defined == 0 || std::abs(metric.score_subset(rows, scored) - sum / double(defined)) <= 1e-12;
  };
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const std::uint32_t one[] = {indices[i]};
    const double s = metric.score_subset(rows, one);
    if (!std::isnan(s)) {
      if (s != 0.0 && s != 1.0) return std::nullopt;
      out[i] = static_cast<std::int8_t>(s);
      sum += s;
      ++defined;
    }
    if (i + 1 == kProbe && i + 1 < indices.size() && !is_mean_so_far(indices.first(kProbe))) return std::nullopt;
  }
  if (defined == 0 || !is_mean_so_far(indices)) return std::nullopt;
  return out;
}

McNemar mcnemar(std::span<const std::int8_t> a, std::span<const std::int8_t> b) {
  McNemar m;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] < 0 || b[i] < 0) continue;
    if (a[i] == 1 && b[i] == 0) ++m.a_right_b_wrong;
    if (a[i] == 0 && b[i] == 1) ++m.a_wrong_b_right;
  }
  m.p_value = mcnemar_exact_p(m.a_right_b_wrong, m.a_wrong_b_right);
  return m;
}

}  // namespace imaxbench
