// nltk 3.10.4's sentence_bleu(references, hypothesis, weights=(1/n,)*n, smoothing_function),
// averaged over samples, as Uni-Med's eval_identify.py reports BLEU-1..4 for region captions
// (it passes weights (1,0,0,0), (1/2,1/2), (1/3,)*3, (1/4,)*4; zero weights add nothing, so
// (1,0,0,0) equals (1,)). Rules copied from nltk:
//  - modified precision p_i = clipped matches / max(1, hypothesis i-grams), kept as the raw
//    (unreduced) numerator and denominator (nltk's Fraction(_normalize=False));
//  - no unigram match: the sentence scores exactly 0 (nltk returns 0 before smoothing);
//  - smoothing none (method0): a zero p_i becomes sys.float_info.min, so the score is ~1e-77,
//    not 0 (nltk warns); method1: a zero p_i becomes (0 + 0.1) / denominator;
//  - brevity penalty with the closest reference length (shorter on a tie): 1 when the
//    hypothesis is longer, 0 when it is empty, else exp(1 - r / c);
//  - score = bp * exp(fsum(w_i * log p_i)).
// Rows: [sentence BLEU, 1]; the score is their mean.
#include <cfloat>
#include <cmath>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/nltk_unimed_tokenizer.h"
#include "metrics/text/sacrebleu_ngrams.h"
#include "core/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

constexpr const char* kNltkVersion = "3.10.4";
enum class Words { kUnimed, kLowerSplit, kSplit };

std::vector<std::string> words_of(std::string_view text, Words how, bool hypothesis) {
  switch (how) {
    case Words::kUnimed:
      return hypothesis ? unimed_hypothesis_words(text) : unimed_reference_words(text);
    case Words::kLowerSplit: {
      const std::string lowered = py_lower(text);
      const auto views = py_split(lowered);
      return {views.begin(), views.end()};
    }
    case Words::kSplit: break;
  }
  const auto views = py_split(text);
  return {views.begin(), views.end()};
}

class SentenceBleu final : public Metric {
 public:
  AnswerKinds applies_to() const override { return kTextKinds; }
  SentenceBleu(int order, bool method1, Words how, std::string tok_name)
      : order_(order), method1_(method1), how_(how), tok_name_(std::move(tok_name)) {}

  std::size_t num_stats() const override { return 2; }

  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const override {
    const std::string_view hyp_text =
        prediction.present && prediction.parsed ? std::string_view(prediction.text) : "";
    const std::vector<std::string> hyp_words = words_of(hyp_text, how_, true);
    std::vector<std::vector<std::string>> ref_words;
    for (const std::string& ref : sample.ref_texts) ref_words.push_back(words_of(ref, how_, false));

    std::size_t n_words = hyp_words.size();
    for (const auto& words : ref_words) n_words += words.size();
    WordIds ids(n_words);
    const std::vector<std::string_view> hyp_views(hyp_words.begin(), hyp_words.end());
    const auto hyp = ids.ids(hyp_views);
    std::vector<std::vector<std::uint32_t>> refs;
    std::vector<std::int64_t> ref_lens;
    for (const auto& words : ref_words) {
      const std::vector<std::string_view> views(words.begin(), words.end());
      refs.push_back(ids.ids(views));
      ref_lens.push_back(static_cast<std::int64_t>(words.size()));
    }
    row[0] = sentence_bleu(hyp, refs, ref_lens);
    row[1] = 1.0;
  }

  double score(std::span<const double> sums) const override {
    return sums[1] > 0 ? sums[0] / sums[1] : 0.0;
  }

  std::string signature() const override {
    return "nltk_sentence_bleu|n:" + std::to_string(order_) + "|weights:uniform|smooth:" +
           (method1_ ? "method1[0.10]" : "none") + "|tok:" + tok_name_ +
           "|refs:all|agg:mean|version:" + kNltkVersion;
  }

 private:
  double sentence_bleu(std::span<const std::uint32_t> hyp,
                       std::span<const std::vector<std::uint32_t>> refs,
                       std::span<const std::int64_t> ref_lens) const {
    const NgramMatches m = ngram_matches(hyp, refs, order_);
    if (m.correct[0] == 0) return 0.0;
    const auto hyp_len = static_cast<std::int64_t>(hyp.size());
    const std::int64_t ref_len = closest_ref_length(hyp_len, ref_lens);
    double bp;
    if (hyp_len > ref_len) bp = 1.0;
    else if (hyp_len == 0) bp = 0.0;
    else bp = std::exp(1.0 - static_cast<double>(ref_len) / static_cast<double>(hyp_len));
    const double weight = 1.0 / order_;
    long double sum = 0;  // math.fsum rounds once; extended precision stays within an ulp of it
    for (int i = 0; i < order_; ++i) {
      const double numerator = static_cast<double>(m.correct[i]);
      const double denominator = static_cast<double>(std::max<std::int64_t>(1, m.total[i]));
      double p;
      if (numerator != 0) p = numerator / denominator;
      else p = method1_ ? (0.0 + 0.1) / denominator : DBL_MIN;
      sum += static_cast<long double>(weight * std::log(p));
    }
    return bp * std::exp(static_cast<double>(sum));
  }

  int order_;
  bool method1_;
  Words how_;
  std::string tok_name_;
};

std::unique_ptr<Metric> make_sentence_bleu(int order, const MetricParams& params) {
  const std::string name = "sentence_bleu_" + std::to_string(order);
  const ParamReader p(name, params, {"smoothing", "tokenize"});
  const bool method1 = p.choice("smoothing", "none", {"none", "method1"}) == "method1";
  const std::string tok = p.choice("tokenize", "unimed", {"unimed", "lower_split", "split"});
  const Words how = tok == "unimed"        ? Words::kUnimed
                    : tok == "lower_split" ? Words::kLowerSplit
                                           : Words::kSplit;
  return std::make_unique<SentenceBleu>(order, method1, how, tok);
}

}  // namespace

std::unique_ptr<Metric> make_sentence_bleu_1(const MetricParams& p) { return make_sentence_bleu(1, p); }
std::unique_ptr<Metric> make_sentence_bleu_2(const MetricParams& p) { return make_sentence_bleu(2, p); }
std::unique_ptr<Metric> make_sentence_bleu_3(const MetricParams& p) { return make_sentence_bleu(3, p); }
std::unique_ptr<Metric> make_sentence_bleu_4(const MetricParams& p) { return make_sentence_bleu(4, p); }

}  // namespace imaxbench
