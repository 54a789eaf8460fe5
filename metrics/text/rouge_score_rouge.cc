// Google rouge-score 0.1.2's ROUGE-1, ROUGE-2 and ROUGE-L F-measures (RougeScorer(...,
// use_stemmer).score_multi: the reference with the highest F counts), averaged over samples.
//  - ROUGE-N: overlap = sum over reference n-grams of min(count in reference, in prediction);
//    P = overlap / max(prediction n-grams, 1), R = overlap / max(reference n-grams, 1);
//  - ROUGE-L: LCS of the token lists; 0 when either is empty; P = lcs / |prediction|,
//    R = lcs / |reference|;
//  - F = 2 P R / (P + R), 0 when P + R is 0.
// Tokens: rouge_score_tokenizer.h. use_stemmer defaults to true, as rouge-score's README and the
// original ROUGE-1.5.5 "-m" runs use it; the signature says which.
// Rows: [F, 1]; the score is their mean.
#include <algorithm>
#include <bit>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/lcs.h"
#include "metrics/text/rouge_score_tokenizer.h"
#include "metrics/text/sacrebleu_ngrams.h"

namespace imaxbench {

namespace {

constexpr const char* kRougeScoreVersion = "0.1.2";

double fmeasure(double precision, double recall) {
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

// One sample's token ids (dense: all below n_ids), with the texts they came from.
struct SampleTokens {
  bool valid = false;
  std::string pred_text;
  std::vector<std::string> ref_texts;
  std::vector<std::uint32_t> pred;
  std::vector<std::vector<std::uint32_t>> refs;
  std::uint32_t n_ids = 0;
};

// The harness computes every metric of a sample on one thread before the next sample
// (compute_metric_rows), so keeping the last sample's ids per thread, checked against the texts,
// lets rouge_1, rouge_2 and rouge_l tokenize a sample once. One vocabulary per thread and
// stemming choice: each surface word is hashed and stemmed once per thread.
const SampleTokens& sample_tokens(bool use_stemmer, std::string_view pred_text,
                                  const std::vector<std::string>& ref_texts) {
  thread_local SampleTokens cache[2];
  thread_local RougeVocabulary vocab[2] = {RougeVocabulary(false), RougeVocabulary(true)};
  SampleTokens& t = cache[use_stemmer ? 1 : 0];
  if (t.valid && t.pred_text == pred_text && t.ref_texts == ref_texts) return t;
  RougeVocabulary& v = vocab[use_stemmer ? 1 : 0];
  t.pred_text.assign(pred_text);
  t.ref_texts.resize(ref_texts.size());
  t.refs.resize(ref_texts.size());
  v.begin_sample();
  v.token_ids(pred_text, t.pred);
  for (std::size_t r = 0; r < ref_texts.size(); ++r) {
    t.ref_texts[r].assign(ref_texts[r]);
    v.token_ids(ref_texts[r], t.refs[r]);
  }
  t.n_ids = v.sample_size();
  t.valid = true;
  return t;
}

class RougeScore final : public Metric {
 public:
  AnswerKinds applies_to() const override { return kTextKinds; }
  RougeScore(int n, bool use_stemmer) : n_(n), use_stemmer_(use_stemmer) {}  // n 0: ROUGE-L

  std::size_t num_stats() const override { return 2; }

  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const override {
    const std::string_view pred_text =
        prediction.present && prediction.parsed ? std::string_view(prediction.text) : "";
    const SampleTokens& t = sample_tokens(use_stemmer_, pred_text, sample.ref_texts);
    double best = 0.0;  // no reference: 0 (the tasks require at least one)
    for (std::size_t r = 0; r < t.refs.size(); ++r) {
      const double f = n_ == 0 ? rouge_l(t.refs[r], t.pred, t.n_ids) : rouge_n(t.refs[r], t.pred);
      if (r == 0 || f > best) best = f;  // np.argmax: the first maximum
    }
    row[0] = best;
    row[1] = 1.0;
  }

  double score(std::span<const double> sums) const override {
    return sums[1] > 0 ? sums[0] / sums[1] : 0.0;
  }

  std::string signature() const override {
    return std::string("rouge_score|type:") + (n_ == 0 ? "rougeL" : "rouge" + std::to_string(n_)) +
           "|stem:" + (use_stemmer_ ? "yes" : "no") + "|multiref:max|agg:mean|version:" +
           kRougeScoreVersion;
  }

 private:
  double rouge_n(std::span<const std::uint32_t> target, std::span<const std::uint32_t> pred) const {
    const NgramMatches m = ngram_matches(pred, std::span(&target, 1), n_, n_);
    const auto count = [&](std::size_t len) {
      return len + 1 > static_cast<std::size_t>(n_) ? static_cast<std::int64_t>(len + 1 - n_) : 0;
    };
    const double overlap = static_cast<double>(m.correct[n_ - 1]);
    const double precision = overlap / static_cast<double>(std::max<std::int64_t>(count(pred.size()), 1));
    const double recall = overlap / static_cast<double>(std::max<std::int64_t>(count(target.size()), 1));
    return fmeasure(precision, recall);
  }

  static double rouge_l(std::span<const std::uint32_t> target, std::span<const std::uint32_t> pred,
                        std::uint32_t n_ids) {
    if (target.empty() || pred.empty()) return 0.0;
    const auto lcs = static_cast<double>(lcs_length(target, pred, n_ids));
    return fmeasure(lcs / static_cast<double>(pred.size()), lcs / static_cast<double>(target.size()));
  }

  int n_;
  bool use_stemmer_;
};

std::unique_ptr<Metric> make_rouge(const char* name, int n, const MetricParams& params) {
  const ParamReader p(name, params, {"use_stemmer"});
  return std::make_unique<RougeScore>(n, p.boolean("use_stemmer", true));
}

}  // namespace

std::unique_ptr<Metric> make_rouge_1(const MetricParams& p) { return make_rouge("rouge_1", 1, p); }
std::unique_ptr<Metric> make_rouge_2(const MetricParams& p) { return make_rouge("rouge_2", 2, p); }
std::unique_ptr<Metric> make_rouge_l(const MetricParams& p) { return make_rouge("rouge_l", 0, p); }

}  // namespace imaxbench
