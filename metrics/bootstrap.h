// Seeded bootstrap resampling of per-sample statistics: no re-tokenization per resample, and the
// same seed gives the same interval on any number of threads. Resampling can be clustered (all
// questions about one image drawn together), since samples of one image are not independent.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/rng.h"
#include "metrics/metric.h"

namespace imaxbench {

struct BootstrapOptions {
  int resamples = 1000;            // 0 disables confidence intervals
  std::uint64_t seed = 20250413;   // IMAX arXiv id 2504.09967
  bool cluster_by_image = true;
  // Told how many resamples each batch scored, from the thread that scored it (for a progress
  // display; no result depends on it). May be empty.
  std::function<void(std::size_t)> on_scored = {};
};

// Draws resamples of sample indices, whole clusters at a time.
class Resampler {
 public:
  // `cluster_keys[i]` names sample i's cluster (its image_id); pass unique keys for no clustering.
  explicit Resampler(std::span<const std::string> cluster_keys);
  std::size_t num_samples() const { return num_samples_; }
  // Resample number `b` under `seed`: sample indices, clusters drawn uniformly with replacement.
  std::vector<std::uint32_t> draw(std::uint64_t seed, std::uint64_t b) const;

 private:
  std::size_t num_samples_ = 0;
  // Cluster k's samples: members_[cluster_begin_[k], cluster_begin_[k + 1]), in first-seen order.
  std::vector<std::uint32_t> cluster_begin_, members_;
};

// numpy.percentile's default (linear) rule on a copy of `values`, q in [0, 100].
double percentile(std::vector<double> values, double q);

// 2.5th and 97.5th percentiles of the metric over resamples. Empty sets give {NaN, NaN}.
std::array<double, 2> bootstrap_ci95(const Metric& metric, const MetricRows& rows,
                                     const Resampler& resampler, const BootstrapOptions& options);

// The same for several metrics of one task (*rows[m] are metrics[m]'s), each resample drawn once
// for all of them. Resamples are scored kResampleBatch at a time (metrics/resample_scorer.h), the
// batches spread over threads; each resample's score is the same on any thread count.
std::vector<std::array<double, 2>> bootstrap_ci95(std::span<const Metric* const> metrics,
                                                  std::span<const MetricRows* const> rows,
                                                  const Resampler& resampler,
                                                  const BootstrapOptions& options);

// Draws resamples 0..options.resamples-1 under options.seed in batches of kResampleBatch
// consecutive ones and calls score(first, draws) for each batch, batches in parallel: `draws` are
// the sample indices of resamples first, first + 1, ...
void for_each_resample_batch(
    const Resampler& resampler, const BootstrapOptions& options,
    const std::function<void(std::size_t first, std::span<const std::span<const std::uint32_t>> draws)>& score);

}  // namespace imaxbench
