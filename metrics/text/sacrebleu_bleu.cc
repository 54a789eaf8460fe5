// sacreBLEU 2.5.1's corpus BLEU (BLEU().corpus_score, smooth_method='exp', effective_order off,
// max order 4) from per-sample sufficient statistics, the same ones sacreBLEU keeps:
//   [hyp_len, ref_len, correct_1..4, total_1..4]
// where ref_len is the reference length closest to hyp_len (the shorter on a tie).
//
// Variable reference counts: sacreBLEU takes reference *streams* of equal length, and a None
// entry in a stream is skipped for that segment (Metric._cache_references). A sample with k
// references is therefore what sacreBLEU scores with streams padded by None beyond k; that is
// exactly how tests/golden/gen_text_vectors.py calls it. The signature says nrefs:var.
//
// The score is sacreBLEU's number divided by 100 (a fraction, like every bounded metric here).
#include <array>
#include <cmath>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/sacrebleu_ngrams.h"
#include "metrics/text/sacrebleu_tokenizers.h"

namespace imaxbench {

namespace {

constexpr const char* kSacreBleuVersion = "2.5.1";
constexpr std::size_t kStats = 2 + 2 * kMaxNgramOrder;

// sacrebleu.utils.my_log: log floored to a very low number at zero.
double my_log(double x) { return x == 0.0 ? -9999999999.0 : std::log(x); }

struct BleuParts {
  double score = 0, bp = 1;
  std::array<double, kMaxNgramOrder> precisions{};
};

// BLEU.compute_bleu with smooth_method='exp', in the same order of operations.
BleuParts compute_bleu(std::span<const double> sums) {
  BleuParts out;
  const double sys_len = sums[0], ref_len = sums[1];
  if (sys_len < ref_len) out.bp = sys_len > 0 ? std::exp(1.0 - ref_len / sys_len) : 0.0;
  const double* correct = sums.data() + 2;
  const double* total = sums.data() + 2 + kMaxNgramOrder;
  bool any = false;
  for (int n = 0; n < kMaxNgramOrder; ++n) any = any || correct[n] != 0;
  if (!any) return out;
  double smooth_mteval = 1.0;
  for (int n = 0; n < kMaxNgramOrder; ++n) {
    if (total[n] == 0) break;
    if (correct[n] == 0) {
      smooth_mteval *= 2;
      out.precisions[n] = 100.0 / (smooth_mteval * total[n]);
    } else {
      out.precisions[n] = 100.0 * correct[n] / total[n];
    }
  }
  double log_sum = 0;
  for (double p : out.precisions) log_sum += my_log(p);
  out.score = out.bp * std::exp(log_sum / kMaxNgramOrder);
  return out;
}

// Per-thread buffers of sample_stats. The word views of each text point into that text or its
// buffer, which stay put until the sample's ids are made.
struct Scratch {
  std::string hyp_buffer;
  std::vector<std::string> ref_buffers;
  std::vector<std::string_view> words;
  WordIds ids;
  std::vector<std::uint32_t> hyp_ids;
  std::vector<std::vector<std::uint32_t>> ref_ids;
  std::vector<std::span<const std::uint32_t>> ref_spans;
  std::vector<std::int64_t> ref_lens;
};

class SacreBleu final : public Metric {
 public:
  AnswerKinds applies_to() const override { return kTextKinds; }
  SacreBleu(SacreBleuTokenizer tok, std::string tok_name, bool lowercase)
      : tok_(tok), tok_name_(std::move(tok_name)), lowercase_(lowercase) {}

  std::size_t num_stats() const override { return kStats; }

  void sample_stats(const Sample& sample, const Prediction& prediction,
                    std::span<double> row) const override {
    // A missing or unparsed answer is the empty hypothesis.
    const std::string_view hyp_text =
        prediction.present && prediction.parsed ? std::string_view(prediction.text) : "";
    thread_local Scratch s;  // reused: no allocation per sample once warm
    const std::size_t n_refs = sample.ref_texts.size();
    s.ref_buffers.resize(n_refs);
    s.ref_ids.resize(n_refs);
    s.ref_spans.resize(n_refs);
    s.ref_lens.resize(n_refs);
    s.ids.reset();
    sacrebleu_words(hyp_text, tok_, lowercase_, s.hyp_buffer, s.words);
    s.ids.ids(s.words, s.hyp_ids);
    for (std::size_t r = 0; r < n_refs; ++r) {
      sacrebleu_words(sample.ref_texts[r], tok_, lowercase_, s.ref_buffers[r], s.words);
      s.ids.ids(s.words, s.ref_ids[r]);  // the views stay valid: buffers are per reference
      s.ref_spans[r] = s.ref_ids[r];
      s.ref_lens[r] = static_cast<std::int64_t>(s.ref_ids[r].size());
    }
    const std::span<const std::uint32_t> hyp = s.hyp_ids;
    const auto hyp_len = static_cast<std::int64_t>(hyp.size());
    const NgramMatches m =
        ngram_matches(hyp, std::span<const std::span<const std::uint32_t>>(s.ref_spans), kMaxNgramOrder);
    row[0] = static_cast<double>(hyp_len);
    row[1] = static_cast<double>(closest_ref_length(hyp_len, s.ref_lens));
    for (int n = 0; n < kMaxNgramOrder; ++n) {
      row[2 + n] = static_cast<double>(m.correct[n]);
      row[2 + kMaxNgramOrder + n] = static_cast<double>(m.total[n]);
    }
  }

  double score(std::span<const double> sums) const override {
    return compute_bleu(sums).score / 100.0;
  }

  std::string signature() const override {
    return std::string("nrefs:var|case:") + (lowercase_ ? "lc" : "mixed") +
           "|eff:no|tok:" + tok_name_ + "|smooth:exp|version:" + kSacreBleuVersion;
  }

  // sacreBLEU's verbose line: n-gram precisions (in %), brevity penalty, lengths.
  nlohmann::json details(std::span<const double> sums) const override {
    const BleuParts parts = compute_bleu(sums);
    nlohmann::json precisions = nlohmann::json::array();
    for (double p : parts.precisions) precisions.push_back(p);
    return {{"precisions", precisions}, {"bp", parts.bp},
            {"sys_len", sums[0]}, {"ref_len", sums[1]},
            {"ratio", sums[1] > 0 ? sums[0] / sums[1] : 0.0}};
  }

 private:
  SacreBleuTokenizer tok_;
  std::string tok_name_;
  bool lowercase_;
};

}  // namespace

std::unique_ptr<Metric> make_sacrebleu(const MetricParams& params) {
  const ParamReader p("sacrebleu", params, {"tokenize", "lowercase"});
  const std::string tok = p.choice("tokenize", "13a", {"13a", "intl", "none"});
  const SacreBleuTokenizer kind = tok == "13a"    ? SacreBleuTokenizer::k13a
                                  : tok == "intl" ? SacreBleuTokenizer::kIntl
                                                  : SacreBleuTokenizer::kNone;
  return std::make_unique<SacreBleu>(kind, tok, p.boolean("lowercase", false));
}

}  // namespace imaxbench
