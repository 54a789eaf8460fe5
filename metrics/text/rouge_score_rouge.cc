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

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/rouge_score_tokenizer.h"
#include "metrics/text/sacrebleu_ngrams.h"

namespace imaxbench {

namespace {

constexpr const char* kRougeScoreVersion = "0.1.2";

double fmeasure(double precision, double recall) {
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

std::size_t lcs_length(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  if (a.size() < b.size()) std::swap(a, b);  // LCS is symmetric; keep the row short
  std::vector<std::uint32_t> row(b.size() + 1, 0);
  for (std::uint32_t x : a) {
    std::uint32_t diag = 0;  // row[j - 1] of the previous line
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::uint32_t up = row[j];
      row[j] = x == b[j - 1] ? diag + 1 : std::max(up, row[j - 1]);
      diag = up;
    }
  }
  return row[b.size()];
}

class RougeScore final : public Metric {
 public:
  RougeScore(int n, bool use_stemmer) : n_(n), use_stemmer_(use_stemmer) {}  // n 0: ROUGE-L

  std::size_t num_stats() const override { return 2; }

  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const override {
    const std::string_view pred_text =
        prediction.present && prediction.parsed ? std::string_view(prediction.text) : "";
    // One vocabulary per thread and stemming choice: each surface word is hashed and stemmed
    // once per thread, not once per occurrence. Ids only need to agree within this sample.
    thread_local RougeVocabulary stemmed(true), plain(false);
    RougeVocabulary& vocab = use_stemmer_ ? stemmed : plain;
    vocab.reset_if_large();
    std::vector<std::uint32_t> pred, ref;
    vocab.token_ids(pred_text, pred);
    double best = 0.0;  // no reference: 0 (the tasks require at least one)
    for (std::size_t r = 0; r < sample.ref_texts.size(); ++r) {
      vocab.token_ids(sample.ref_texts[r], ref);
      const double f = n_ == 0 ? rouge_l(ref, pred) : rouge_n(ref, pred);
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
    const std::vector<std::uint32_t> target_ids(target.begin(), target.end());
    const NgramMatches m = ngram_matches(pred, std::span(&target_ids, 1), n_, n_);
    const auto count = [&](std::size_t len) {
      return len + 1 > static_cast<std::size_t>(n_) ? static_cast<std::int64_t>(len + 1 - n_) : 0;
    };
    const double overlap = static_cast<double>(m.correct[n_ - 1]);
    const double precision = overlap / static_cast<double>(std::max<std::int64_t>(count(pred.size()), 1));
    const double recall = overlap / static_cast<double>(std::max<std::int64_t>(count(target.size()), 1));
    return fmeasure(precision, recall);
  }

  static double rouge_l(std::span<const std::uint32_t> target, std::span<const std::uint32_t> pred) {
    if (target.empty() || pred.empty()) return 0.0;
    const auto lcs = static_cast<double>(lcs_length(target, pred));
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
