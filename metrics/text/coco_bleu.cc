#include "metrics/text/coco_bleu.h"

#include <cmath>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/coco_text.h"
#include "metrics/text/sacrebleu_ngrams.h"
#include "metrics/text/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

enum Column { kTestLen = 0, kRefLen = 1, kGuess = 2, kCorrect = 6 };

}  // namespace

void CocoBleu::sample_stats(const Sample& sample, const Prediction& prediction,
                            std::span<double> row) const {
  if (!coco_applies(sample)) return;
  const CocoTexts texts = coco_texts(sample, prediction);
  // precook() splits on any whitespace (str.split()).
  const std::vector<std::string_view> hyp_words = py_split(texts.hyp);
  WordIds ids;
  const std::vector<std::uint32_t> hyp = ids.ids(hyp_words);
  std::vector<std::vector<std::uint32_t>> refs;
  std::vector<std::int64_t> ref_lens;
  for (const std::string& ref : texts.refs) {
    const std::vector<std::string_view> words = py_split(ref);
    refs.push_back(ids.ids(words));
    ref_lens.push_back(static_cast<std::int64_t>(words.size()));
  }
  const NgramMatches m = ngram_matches(hyp, refs, kMaxNgramOrder);
  const auto testlen = static_cast<std::int64_t>(hyp.size());
  row[kTestLen] = static_cast<double>(testlen);
  row[kRefLen] = static_cast<double>(closest_ref_length(testlen, ref_lens));
  for (int k = 0; k < kMaxNgramOrder; ++k) {
    row[kGuess + k] = static_cast<double>(std::max<std::int64_t>(0, testlen - k));
    row[kCorrect + k] = static_cast<double>(m.correct[k]);
  }
}

double CocoBleu::score(std::span<const double> sums) const {
  // BleuScorer.compute_score, corpus part, operation for operation.
  constexpr double kSmall = 1e-9;
  constexpr double kTiny = 1e-15;
  double bleu = 1.0;
  double result = 0.0;
  for (int k = 0; k < order_; ++k) {
    bleu *= (sums[kCorrect + k] + kTiny) / (sums[kGuess + k] + kSmall);
    result = std::pow(bleu, 1.0 / (k + 1));
  }
  const double ratio = (sums[kTestLen] + kTiny) / (sums[kRefLen] + kSmall);
  if (ratio < 1) result *= std::exp(1 - 1 / ratio);
  return result;
}

std::string CocoBleu::signature() const {
  return "bleu" + std::to_string(order_) + "|tok:ptb|flavor:coco|nrefs:var|v1";
}

std::unique_ptr<Metric> make_coco_bleu_1(const MetricParams& params) {
  ParamReader("bleu_1", params, {});
  return std::make_unique<CocoBleu>(1);
}
std::unique_ptr<Metric> make_coco_bleu_2(const MetricParams& params) {
  ParamReader("bleu_2", params, {});
  return std::make_unique<CocoBleu>(2);
}
std::unique_ptr<Metric> make_coco_bleu_3(const MetricParams& params) {
  ParamReader("bleu_3", params, {});
  return std::make_unique<CocoBleu>(3);
}
std::unique_ptr<Metric> make_coco_bleu_4(const MetricParams& params) {
  ParamReader("bleu_4", params, {});
  return std::make_unique<CocoBleu>(4);
}

}  // namespace imaxbench
