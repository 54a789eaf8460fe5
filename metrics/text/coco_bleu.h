// bleu_1 .. bleu_4 as pycocoevalcap 1.2 computes them (Bleu(4).compute_score on captions after its
// PTBTokenizer): corpus BLEU from clipped n-gram counts summed over samples, the "closest"
// reference length (the shorter one on a tie), smoothing constants tiny = 1e-15 and small = 1e-9,
// brevity penalty exp(1 - 1/ratio) when ratio = (testlen + tiny) / (reflen + small) < 1.
// Row: [testlen, reflen, guess_1..4, correct_1..4], summed in sample order.
#pragma once

#include "metrics/metric.h"

namespace imaxbench {

class CocoBleu : public Metric {
 public:
  explicit CocoBleu(int order) : order_(order) {}
  AnswerKinds applies_to() const override { return kTextKinds; }

  std::size_t num_stats() const override { return 10; }
  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const override;
  double score(std::span<const double> sums) const override;
  std::string signature() const override;

 private:
  int order_;  // 1..4
};

}  // namespace imaxbench
