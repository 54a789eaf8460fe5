#include "metrics/text/coco_rouge.h"

#include <algorithm>
#include <cmath>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/coco_text.h"
#include "metrics/text/sacrebleu_ngrams.h"

namespace imaxbench {

namespace {

// Length of the longest common subsequence (my_lcs) of two word-id sequences, one row of the
// table at a time.
std::uint32_t lcs_length(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  const auto& shorter = a.size() < b.size() ? a : b;
  const auto& longer = a.size() < b.size() ? b : a;
  std::vector<std::uint32_t> prev(shorter.size() + 1, 0), cur(shorter.size() + 1, 0);
  for (std::uint32_t word : longer) {
    for (std::size_t j = 1; j <= shorter.size(); ++j)
      cur[j] = word == shorter[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  return prev[shorter.size()];
}

}  // namespace

double coco_rouge_l(std::string_view candidate, const std::vector<std::string>& refs) {
  const double beta = 1.2;
  WordIds ids;  // equal words, equal ids: the LCS compares integers
  const std::vector<std::uint32_t> cand = ids.ids(split_on_space(candidate));
  double prec_max = 0, rec_max = 0;
  for (const std::string& ref : refs) {
    const std::vector<std::uint32_t> words = ids.ids(split_on_space(ref));
    const auto lcs = static_cast<double>(lcs_length(words, cand));
    prec_max = std::max(prec_max, lcs / static_cast<double>(cand.size()));
    rec_max = std::max(rec_max, lcs / static_cast<double>(words.size()));
  }
  if (prec_max == 0 || rec_max == 0) return 0.0;
  const double b2 = std::pow(beta, 2);
  return ((1 + b2) * prec_max * rec_max) / (rec_max + b2 * prec_max);
}

bool CocoRougeL::applies(const Sample& sample) const { return coco_applies(sample); }

double CocoRougeL::value(const Sample& sample, const Prediction& prediction) const {
  const CocoTexts texts = coco_texts(sample, prediction);
  return coco_rouge_l(texts.hyp, texts.refs);
}

std::unique_ptr<Metric> make_rouge_l_coco(const MetricParams& params) {
  ParamReader("rouge_l_coco", params, {});
  return std::make_unique<CocoRougeL>();
}

}  // namespace imaxbench
