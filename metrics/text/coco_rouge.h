// rouge_l_coco: pycocoevalcap 1.2's Rouge().compute_score on captions after its PTBTokenizer.
// Per sample: words are the caption split on ' ' (an empty caption is one empty word), LCS with
// each reference, precision and recall maximized separately over the references, then
// F = (1 + beta^2) P R / (R + beta^2 P) with beta = 1.2 (0 when P or R is 0); the score is the
// mean over samples.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "metrics/mean_metric.h"

namespace imaxbench {

// Rouge.calc_score for tokenized texts.
double coco_rouge_l(std::string_view candidate, const std::vector<std::string>& refs);

class CocoRougeL final : public MeanMetric {
 public:
  AnswerKinds applies_to() const override { return kTextKinds; }
  bool applies(const Sample& sample) const override;
  std::string signature() const override { return "rouge_l|tok:ptb|flavor:coco|beta:1.2|v1"; }

 protected:
  double value(const Sample& sample, const Prediction& prediction) const override;
};

}  // namespace imaxbench
