// Paired bootstrap for comparing two runs on the same samples: every resample draws one set of
// sample indices (whole image clusters) and scores both runs on it, so the spread of B-A reflects
// only sampling of the test set, not two independent draws. Scores come from per-sample
// statistics (Metric::score_subset), so corpus metrics (BLEU, CIDEr-D) are recomputed on each
// resample rather than averaged per sample. Also McNemar's exact test for 0/1 outcomes.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <utility>
#include <span>
#include <vector>

#include "metrics/bootstrap.h"
#include "metrics/metric.h"

namespace imaxbench {

// A score of a subset of the compared samples (indices into the common list, repeats allowed).
// Called concurrently from several threads.
using SubsetScore = std::function<double(std::span<const std::uint32_t>)>;

struct PairedResult {
  double a = 0, b = 0, delta = 0;  // on all common samples; delta = b - a
  std::array<double, 2> ci95{0, 0};  // 2.5th/97.5th percentiles (numpy linear rule) of resampled b - a
  double p_value = 1;              // two-sided, sacrebleu's paired_bs rule (see paired_bs_p_value)
  std::size_t resamples = 0;       // resamples where both scores were defined
  bool has_ci = false;             // false with no resamples (then ci95 and p_value mean nothing)
};

// sacrebleu's paired bootstrap p-value (significance.py, _paired_bs_test): with d_i the resampled
// differences and D the observed one, s_i = |d_i| - mean_j |d_j|, and
//     p = (1 + #{i : s_i > |D|}) / (1 + number of resamples).
// Centring the resampled |differences| approximates their distribution under "no difference".
// One deviation: when the observed and every resampled difference are exactly 0 (identical
// answers), p = 1, where sacrebleu's rule would give its minimum 1 / (1 + resamples).
double paired_bs_p_value(std::span<const double> resampled_deltas, double observed_delta);

// Scores of several subsets at once, out[k] for subsets[k] (at most kResampleBatch of them), so a
// corpus metric can score a batch of resamples in one pass (metrics/resample_scorer.h). Called
// concurrently from several threads.
using BatchScore = std::function<void(std::span<const std::span<const std::uint32_t>> subsets,
                                      std::span<double> out)>;

// Scores `a` and `b` on all `resampler.num_samples()` samples and on options.resamples paired
// resamples (seeded; the same indices for both). Resamples where either score is NaN are
// dropped. When `deltas_out` is given it receives the kept resampled differences in order.
PairedResult paired_bootstrap(const SubsetScore& a, const SubsetScore& b, const Resampler& resampler,
                              const BootstrapOptions& options, std::vector<double>* deltas_out = nullptr);
// The same, scoring the resamples a batch at a time; equal results for equal scores.
PairedResult paired_bootstrap_batched(const BatchScore& a, const BatchScore& b, const Resampler& resampler,
                                      const BootstrapOptions& options, std::vector<double>* deltas_out = nullptr);

// Each side's score as another value (a primary metric's suite points): side a's and side b's
// transforms, since the two metrics may differ in direction or bounds.
struct PointsTransform {
  std::function<double(double)> a, b;
};

// Makes one side's BatchScore (and whatever it lays out to score resamples).
using BatchScoreMaker = std::function<BatchScore()>;

// One side's score of one metric on all `resampler.num_samples()` samples and on each resample
// (NaN where undefined).
struct SideScores {
  double whole = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> resampled;  // options.resamples of them; none when nothing is resampled
};
// One side's half of a paired bootstrap, for several metrics: every maker's scorer is made, scores
// the whole set and every resample (each drawn once for all metrics: 1,000 draws of 100,000
// samples cost about a second), and is freed on return. A caller can so score side a, free what
// side a needed (CIDEr-D's layout, hundreds of MB at 100,000 reports), and only then build side b;
// each side draws the same resamples.
std::vector<SideScores> score_side(std::span<const BatchScoreMaker> metrics, const Resampler& resampler,
                                   const BootstrapOptions& options);
// The paired result of two sides' scores of one metric from score_side() under the same resampler
// and options; .second compares the values transformed by `points` when it is given.
std::pair<PairedResult, PairedResult> pair_side_scores(const SideScores& a, const SideScores& b,
                                                       const PointsTransform* points,
                                                       std::vector<double>* deltas_out = nullptr);

// McNemar's test on paired 0/1 outcomes: b = A right and B wrong, c = A wrong and B right;
// exact two-sided binomial p = min(1, 2 * P(X <= min(b, c))), X ~ Binomial(b + c, 1/2).
struct McNemar {
  std::size_t a_right_b_wrong = 0, a_wrong_b_right = 0;
  double p_value = 1;
};
double mcnemar_exact_p(std::size_t b, std::size_t c);

// Per-sample 0/1 outcomes when the metric is accuracy-type on these samples: each sample scored
// alone is 0, 1 or undefined (NaN: the metric does not apply to it), and the score of all of them
// equals the mean of the defined ones (checked on the first 64 samples first, so a corpus metric
// is turned away after 65 scores, not one per sample). -1 marks undefined samples. nullopt
// otherwise (F1, kappa, BLEU, CIDEr-D, IoU, errors).
std::optional<std::vector<std::int8_t>> binary_outcomes(const Metric& metric, const MetricRows& rows,
                                                        std::span<const std::uint32_t> indices);

// Counts discordant pairs of two outcome vectors (same length; -1 entries skipped).
McNemar mcnemar(std::span<const std::int8_t> a, std::span<const std::int8_t> b);

}  // namespace imaxbench
