// Answer metrics on VQAv2-normalized text (metrics/text_normalize.h). Each takes the best value
// over the sample's references; an unparsed or missing answer scores 0, whatever the reference.
//  closed_accuracy           closed questions: normalized answer equals a normalized reference.
//  closed_accuracy_contains  closed questions, Uni-Med's eval_vqa.py rule: the normalized
//                            reference is a substring of the normalized answer ("no" is found in
//                            "no, not enlarged" but also in "not sure": the published rule).
//  open_token_f1             open questions: token F1 (flavor squad or unimed, token_overlap.h).
//  open_recall               open questions: fraction of reference tokens found in the answer.
//  token_f1                  every sample with text references (report, reg, vqa).
#include <algorithm>
#include <string>
#include <vector>

#include "metrics/mean_metric.h"
#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text_normalize.h"
#include "metrics/token_overlap.h"

namespace imaxbench {

namespace {

enum class Questions { kClosed, kOpen, kAny };

class TextMetric : public MeanMetric {
 public:
  explicit TextMetric(Questions questions) : questions_(questions) {}

  AnswerKinds applies_to() const override {
    return questions_ == Questions::kAny ? kTextKinds : AnswerKinds{AnswerKind::kShortAnswer};
  }
  bool applies(const Sample& s) const override {
    if (!applies_to().contains(s.kind) || s.ref_texts.empty()) return false;
    switch (questions_) {
      case Questions::kClosed: return s.answer_type == "closed";
      case Questions::kOpen: return s.answer_type == "open";
      case Questions::kAny: return true;
    }
    return false;
  }

 protected:
  double value(const Sample& s, const Prediction& p) const final {
    if (!is_scored(p)) return 0.0;
    const NormalizedAnswer answer(p.text);  // once, not once per reference
    double best = 0.0;
    for (const auto& reference : s.ref_texts)
      best = std::max(best, compare(answer, NormalizedAnswer(reference)));
    return best;
  }
  virtual double compare(const NormalizedAnswer& answer, const NormalizedAnswer& reference) const = 0;

 private:
  Questions questions_;
};

class ClosedAccuracy final : public TextMetric {
 public:
  ClosedAccuracy() : TextMetric(Questions::kClosed) {}
  std::string signature() const override {
    return "closed_accuracy|norm:vqav2|match:exact|refs:any|unparsed:wrong|v1";
  }

 protected:
  double compare(const NormalizedAnswer& answer, const NormalizedAnswer& reference) const override {
    return answer.text == reference.text ? 1.0 : 0.0;
  }
};

class ClosedAccuracyContains final : public TextMetric {
 public:
  ClosedAccuracyContains() : TextMetric(Questions::kClosed) {}
  std::string signature() const override {
    return "closed_accuracy_contains|norm:vqav2|match:ref_substring|refs:any|unparsed:wrong|v1";
  }

 protected:
  double compare(const NormalizedAnswer& answer, const NormalizedAnswer& reference) const override {
    return answer.text.find(reference.text) != std::string::npos ? 1.0 : 0.0;
  }
};

class TokenF1 final : public TextMetric {
 public:
  TokenF1(std::string name, Questions questions, TokenF1Flavor flavor)
      : TextMetric(questions), name_(std::move(name)), flavor_(flavor) {}
  std::string signature() const override {
    return name_ + "|tok:vqav2|flavor:" + std::string(token_f1_flavor_name(flavor_)) +
           "|refs:max|unparsed:0|v1";
  }

 protected:
  double compare(const NormalizedAnswer& answer, const NormalizedAnswer& reference) const override {
    return token_f1(answer, reference, flavor_);
  }

 private:
  std::string name_;
  TokenF1Flavor flavor_;
};

class OpenRecall final : public TextMetric {
 public:
  OpenRecall() : TextMetric(Questions::kOpen) {}
  std::string signature() const override {
    return "open_recall|tok:vqav2|refs:max|unparsed:0|v1";
  }

 protected:
  double compare(const NormalizedAnswer& answer, const NormalizedAnswer& reference) const override {
    return token_recall(answer, reference);
  }
};

std::unique_ptr<Metric> make_token_f1_named(const char* name, Questions questions,
                                            const MetricParams& params) {
  ParamReader reader(name, params, {"flavor"});
  const auto flavor = parse_token_f1_flavor(reader.choice("flavor", "squad", {"squad", "unimed"}));
  return std::make_unique<TokenF1>(name, questions, flavor);
}

}  // namespace

std::unique_ptr<Metric> make_closed_accuracy(const MetricParams& params) {
  ParamReader("closed_accuracy", params, {});
  return std::make_unique<ClosedAccuracy>();
}

std::unique_ptr<Metric> make_closed_accuracy_contains(const MetricParams& params) {
  ParamReader("closed_accuracy_contains", params, {});
  return std::make_unique<ClosedAccuracyContains>();
}

std::unique_ptr<Metric> make_open_token_f1(const MetricParams& params) {
  return make_token_f1_named("open_token_f1", Questions::kOpen, params);
}

std::unique_ptr<Metric> make_open_recall(const MetricParams& params) {
  ParamReader("open_recall", params, {});
  return std::make_unique<OpenRecall>();
}

std::unique_ptr<Metric> make_token_f1(const MetricParams& params) {
  return make_token_f1_named("token_f1", Questions::kAny, params);
}

}  // namespace imaxbench
