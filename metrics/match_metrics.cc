// accuracy and exact_match: the fraction of samples answered exactly right.
//  multiclass   the predicted class is the reference class (sklearn accuracy_score);
//  multilabel   the predicted multi-hot row equals the reference row (subset accuracy);
//  text         exact_match only: the VQAv2-normalized answer equals a normalized reference.
// An unparsed or missing answer is wrong in every case, even against an all-zero label row (it
// is not the answer "no finding"; the F1 metrics, which need a row, read it as all zero).
#include <string>

#include "metrics/class_counts.h"
#include "metrics/mean_metric.h"
#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text_normalize.h"

namespace imaxbench {

namespace {

double class_match(const Sample& s, const Prediction& p) {
  if (class_kind(s) == ClassKind::kMulticlass) return predicted_class(s, p) == s.ref_class;
  bool usable = false;
  const auto row = predicted_labels(s, p, &usable);
  return usable && row == s.ref_labels ? 1.0 : 0.0;
}

class Accuracy final : public MeanMetric {
 public:
  AnswerKinds applies_to() const override { return {AnswerKind::kClass, AnswerKind::kLabelSet}; }
  std::string signature() const override { return "accuracy|unparsed:wrong|v1"; }

 protected:
  double value(const Sample& s, const Prediction& p) const override { return class_match(s, p); }
};

class ExactMatch final : public MeanMetric {
 public:
  AnswerKinds applies_to() const override {
    return {AnswerKind::kClass, AnswerKind::kLabelSet, AnswerKind::kText, AnswerKind::kShortAnswer};
  }
  std::string signature() const override {
    return "exact_match|classes:exact|text:vqav2_norm|refs:any|unparsed:wrong|v1";
  }

 protected:
  double value(const Sample& s, const Prediction& p) const override {
    if (class_kind(s) != ClassKind::kNone) return class_match(s, p);
    if (!is_scored(p)) return 0.0;
    const std::string answer = vqa_normalize(p.text);
    for (const auto& reference : s.ref_texts)
      if (vqa_normalize(reference) == answer) return 1.0;
    return 0.0;
  }
};

}  // namespace

std::unique_ptr<Metric> make_accuracy(const MetricParams& params) {
  ParamReader("accuracy", params, {});
  return std::make_unique<Accuracy>();
}

std::unique_ptr<Metric> make_exact_match(const MetricParams& params) {
  ParamReader("exact_match", params, {});
  return std::make_unique<ExactMatch>();
}

}  // namespace imaxbench
