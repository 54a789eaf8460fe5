#include "metrics/text/coco_bleu.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "metrics/mean_metric.h"
#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/coco_text.h"
#include "metrics/text/sacrebleu_ngrams.h"
#include "metrics/text/sacrebleu_unicode.h"
#include "metrics/text/text_memo.h"

namespace imaxbench {

namespace {

enum Column { kTestLen = 0, kRefLen = 1, kGuess = 2, kCorrect = 6 };

// An n-gram of word ids, exactly: ids + 1 in four 32-bit fields (0 marks a shorter n-gram).
NgramKey packed(const std::vector<std::uint32_t>& ids, std::size_t i, int n) {
  std::uint64_t w[4] = {0, 0, 0, 0};
  for (int k = 0; k < n; ++k) w[k] = ids[i + k] + 1ull;
  return {(w[0] << 32) | w[1], (w[2] << 32) | w[3]};
}

// cook_test()'s "correct": for each order, the sum over the hypothesis's distinct n-grams of
// min(count in the hypothesis, max count in any one reference).
std::array<std::int64_t, kMaxNgramOrder> clipped_matches(
    const std::vector<std::uint32_t>& hyp, const std::vector<std::vector<std::uint32_t>>& refs) {
  NgramTable index(hyp.size() * kMaxNgramOrder);
  std::vector<int> order, count, best, in_ref;
  for (int n = 1; n <= kMaxNgramOrder; ++n)
    for (std::size_t i = 0; i + n <= hyp.size(); ++i) {
      const int next = static_cast<int>(count.size());
      const int at = index.insert(packed(hyp, i, n), next);
      if (at == next) {
        order.push_back(n);
        count.push_back(0);
      }
      ++count[at];
    }
  best.assign(count.size(), 0);
  in_ref.assign(count.size(), 0);
  std::vector<int> touched;
  for (const auto& ref : refs) {
    for (int n = 1; n <= kMaxNgramOrder; ++n)
      for (std::size_t i = 0; i + n <= ref.size(); ++i) {
        const int at = index.find(packed(ref, i, n));
        if (at < 0) continue;
        if (in_ref[at]++ == 0) touched.push_back(at);
      }
    for (int at : touched) {
      best[at] = std::max(best[at], in_ref[at]);
      in_ref[at] = 0;
    }
    touched.clear();
  }
  std::array<std::int64_t, kMaxNgramOrder> correct{};
  for (std::size_t k = 0; k < count.size(); ++k) correct[order[k] - 1] += std::min(count[k], best[k]);
  return correct;
}

using BleuRow = std::array<double, 10>;

BleuRow bleu_row(const CocoTexts& texts) {
  BleuRow row{};
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
  const auto correct = clipped_matches(hyp, refs);
  const auto testlen = static_cast<std::int64_t>(hyp.size());
  row[kTestLen] = static_cast<double>(testlen);
  row[kRefLen] = static_cast<double>(closest_ref_length(testlen, ref_lens));
  for (int k = 0; k < kMaxNgramOrder; ++k) {
    row[kGuess + k] = static_cast<double>(std::max<std::int64_t>(0, testlen - k));
    row[kCorrect + k] = static_cast<double>(correct[k]);
  }
  return row;
}

// The texts a row depends on, each with its length, as one memo key.
std::string row_key(const Sample& sample, const Prediction& prediction) {
  std::string key;
  auto add = [&key](std::string_view text) {
    const std::size_t n = text.size();
    key.append(reinterpret_cast<const char*>(&n), sizeof n);
    key.append(text);
  };
  add(is_scored(prediction) ? std::string_view(prediction.text) : std::string_view());
  for (const std::string& ref : sample.ref_texts) add(ref);
  return key;
}

}  // namespace

void CocoBleu::sample_stats(const Sample& sample, const Prediction& prediction,
                            std::span<double> row) const {
  if (!coco_applies(sample)) return;
  // bleu_1 .. bleu_4 share one row per sample.
  static TextMemo<BleuRow> memo;
  const BleuRow r = memo.get(
      row_key(sample, prediction),
      [&](std::string_view) { return bleu_row(coco_texts(sample, prediction)); },
      [](const BleuRow&) { return sizeof(BleuRow); });
  std::copy(r.begin(), r.end(), row.begin());
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
