// f1_macro, f1_micro, f1_samples: scikit-learn's f1_score with its defaults (zero_division=0),
// from per-class TP/FP/FN sums (class_counts.h).
//  multiclass: the classes averaged are those present in the references or the predictions
//    (sklearn's labels=None). An answer naming no class counts as a false negative of the true
//    class and is not a class of its own (sklearn: its y_pred value is outside `labels`).
//  multilabel: every vocabulary column is averaged, including columns with no true and no
//    predicted label (F1 0 there, as sklearn). An unparsed answer is the all-zero row.
//  f1_samples: mean per-sample F1; multiclass samples count as one-hot rows (1 when correct).
// A set mixing multiclass and multilabel samples, or samples with different class lists, is an
// error, as is a sample with more than kMaxClasses classes.
#include <cmath>
#include <limits>
#include <string>

#include "metrics/class_counts.h"
#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "core/error.h"

namespace imaxbench {

namespace {

namespace r = class_row;

struct ClassSums {
  std::size_t k = 0;
  bool multilabel = false;
  std::span<const double> sums;
  double tp(std::size_t c) const { return sums[r::kCounts + 3 * c]; }
  double fp(std::size_t c) const { return sums[r::kCounts + 3 * c + 1]; }
  double fn(std::size_t c) const { return sums[r::kCounts + 3 * c + 2]; }
  // Averaged in macro F1: multilabel, every column; multiclass, classes seen on either side.
  bool averaged(std::size_t c) const { return multilabel || tp(c) + fp(c) + fn(c) > 0; }
};

double f1_of(double tp, double fp, double fn) {
  const double denominator = 2 * tp + fp + fn;
  return denominator > 0 ? 2 * tp / denominator : 0.0;
}

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

class F1Metric : public Metric {
 public:
  explicit F1Metric(std::string name) : name_(std::move(name)) {}
  AnswerKinds applies_to() const override { return {AnswerKind::kClass, AnswerKind::kLabelSet}; }
  std::size_t num_stats() const override { return r::kWidth; }
  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const override {
    class_count_row(sample, prediction, vocabulary_, row);
  }
  double score(std::span<const double> sums) const override {
    if (sums[r::kSamples] <= 0) return std::numeric_limits<double>::quiet_NaN();
    return score_counts(checked(sums));
  }
  std::string signature() const override {
    return name_ + "|labels:present_or_vocab|zero_division:0|unparsed:no_class|max_classes:" +
           std::to_string(kMaxClasses) + "|v1";
  }

 protected:
  virtual double score_counts(const ClassSums& counts) const = 0;

  ClassSums checked(std::span<const double> sums) const {
    const double n = sums[r::kSamples];
    const std::string who = "metric '" + name_ + "': ";
    if (sums[r::kOverCap] > 0)
      throw Error(who + format(sums[r::kOverCap]) + " samples have more than " +
                  std::to_string(kMaxClasses) + " classes, the most the F1 metrics count");
    if (sums[r::kMalformed] > 0)
      throw Error(who + format(sums[r::kMalformed]) +
                  " samples have a reference that does not fit their class list");
    if (sums[r::kVocabMismatch] > 0 || n * sums[r::kClassesSq] != sums[r::kClasses] * sums[r::kClasses])
      throw Error(who + "the samples do not share one class list; give every record of the split "
                        "the same classes/labels");
    if (sums[r::kMultilabel] > 0 && sums[r::kMultilabel] != n)
      throw Error(who + "the samples mix multiclass and multilabel references");
    ClassSums out;
    out.k = static_cast<std::size_t>(sums[r::kClasses] / n);
    out.multilabel = sums[r::kMultilabel] > 0;
    out.sums = sums;
    return out;
  }

  const ClassVocabulary& vocabulary() const { return vocabulary_; }
  const std::string& name() const { return name_; }

 private:
  static std::string format(double v) { return std::to_string(static_cast<long long>(v)); }
  std::string name_;
  ClassVocabulary vocabulary_;
};

class F1Macro final : public F1Metric {
 public:
  F1Macro() : F1Metric("f1_macro") {}

  // Per class: precision, recall, F1, support, and whether the class enters the average.
  nlohmann::json details(std::span<const double> sums) const override {
    if (sums[r::kSamples] <= 0) return nullptr;
    const ClassSums c = checked(sums);
    const auto names = vocabulary().names(c.k);
    nlohmann::json table = nlohmann::json::array();
    for (std::size_t i = 0; i < c.k; ++i) {
      table.push_back({{"label", names[i]},
                       {"precision", ratio(c.tp(i), c.tp(i) + c.fp(i))},
                       {"recall", ratio(c.tp(i), c.tp(i) + c.fn(i))},
                       {"f1", f1_of(c.tp(i), c.fp(i), c.fn(i))},
                       {"support", static_cast<long long>(c.tp(i) + c.fn(i))},
                       {"averaged", c.averaged(i)}});
    }
    return table;
  }

 protected:
  double score_counts(const ClassSums& c) const override {
    double total = 0;
    std::size_t used = 0;
    for (std::size_t i = 0; i < c.k; ++i) {
      if (!c.averaged(i)) continue;
      total += f1_of(c.tp(i), c.fp(i), c.fn(i));
      ++used;
    }
    return used > 0 ? total / static_cast<double>(used) : std::numeric_limits<double>::quiet_NaN();
  }
};

class F1Micro final : public F1Metric {
 public:
  F1Micro() : F1Metric("f1_micro") {}

 protected:
  double score_counts(const ClassSums& c) const override {
    double tp = 0, fp = 0, fn = 0;
    for (std::size_t i = 0; i < c.k; ++i) tp += c.tp(i), fp += c.fp(i), fn += c.fn(i);
    return f1_of(tp, fp, fn);
  }
};

class F1Samples final : public F1Metric {
 public:
  F1Samples() : F1Metric("f1_samples") {}

 protected:
  double score_counts(const ClassSums& c) const override {
    return c.sums[r::kSampleF1] / c.sums[r::kSamples];
  }
};

}  // namespace

std::unique_ptr<Metric> make_f1_macro(const MetricParams& params) {
  ParamReader("f1_macro", params, {});
  return std::make_unique<F1Macro>();
}

std::unique_ptr<Metric> make_f1_micro(const MetricParams& params) {
  ParamReader("f1_micro", params, {});
  return std::make_unique<F1Micro>();
}

std::unique_ptr<Metric> make_f1_samples(const MetricParams& params) {
  ParamReader("f1_samples", params, {});
  return std::make_unique<F1Samples>();
}

}  // namespace imaxbench
