// Scoring many resamples of one metric's rows: the bootstrap's and the paired bootstrap's inner
// loop. A resample is a multiset of sample indices (repeats allowed, in draw order); callers hand
// over up to kResampleBatch of them at a time, so a corpus-level metric (CIDEr-D) can derive the
// document frequencies of several resamples in one pass over its n-grams (metrics/text/cider_resample.h).
// A resample's score never depends on the others in its batch, so how resamples are split into
// batches and threads changes no bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "metrics/metric.h"

namespace imaxbench {

inline constexpr std::size_t kResampleBatch = 32;

class ResampleScorer {
 public:
  virtual ~ResampleScorer() = default;
  // out[k] = score_if_eligible(metric, stats, resamples[k]) for each k (at most kResampleBatch).
  // Safe to call from several threads at once.
  virtual void score(std::span<const std::span<const std::uint32_t>> resamples,
                     std::span<double> out) const = 0;
};

// The default: score_if_eligible() on each resample in turn (summed metrics: sums of the rows in
// draw order, as cheap as it gets).
class SubsetResampleScorer final : public ResampleScorer {
 public:
  SubsetResampleScorer(const Metric& metric, const MetricRows& stats) : metric_(metric), stats_(stats) {}
  void score(std::span<const std::span<const std::uint32_t>> resamples,
             std::span<double> out) const override {
    for (std::size_t k = 0; k < resamples.size(); ++k) out[k] = score_if_eligible(metric_, stats_, resamples[k]);
  }

 private:
  const Metric& metric_;
  const MetricRows& stats_;
};

}  // namespace imaxbench
