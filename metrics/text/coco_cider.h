// cider_d: pycocoevalcap 1.2's Cider().compute_score (CIDEr-D) on captions after its PTBTokenizer:
// n-grams of orders 1..4, tf-idf vectors with idf = log(N) - log(max(1, df)) where df counts the
// evaluated samples whose references contain the n-gram and N is the number of samples, clipped
// cosine similarity per order, Gaussian length penalty exp(-delta^2 / (2 * 6^2)) with delta the
// difference in *bigram* counts (as pycocoevalcap computes "length"), mean over orders, divided
// by the number of references, times 10; the score is the mean over samples.
//
// Corpus-level: document frequencies depend on which samples are scored. Each sample keeps its
// n-gram counts as a SampleExtra (tokenized once); score_subset() recomputes the frequencies over
// the samples it is given (repeats count again, as a bootstrap resample needs). The summed row
// ([1] per sample) cannot give the score, so score() throws.
#pragma once

#include <memory>

#include "metrics/metric.h"

namespace imaxbench {

class CocoCiderD final : public Metric {
 public:
  AnswerKinds applies_to() const override { return kTextKinds; }
  std::size_t num_stats() const override { return 1; }
  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const override;
  double score(std::span<const double> sums) const override;
  std::string signature() const override {
    return "cider_d|tok:ptb|flavor:coco|n:4|sigma:6|df:scored-set|v1";
  }
  bool bounded() const override { return false; }
  std::shared_ptr<const SampleExtra> sample_extra(const Sample& sample,
                                                  const Prediction& prediction) const override;
  double score_subset(const MetricRows& stats,
                      std::span<const std::uint32_t> indices) const override;
  // Several resamples per pass over the n-grams (metrics/text/cider_resample.h).
  std::unique_ptr<ResampleScorer> resample_scorer(const MetricRows& stats) const override;
};

}  // namespace imaxbench
