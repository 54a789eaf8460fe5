#include "metrics/text/coco_sample.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "metrics/mean_metric.h"
#include "metrics/text/ngram_ids.h"
#include "metrics/text/sacrebleu_ngrams.h"

namespace imaxbench {

namespace {

// Per-thread scratch space, so building a sample allocates only what it keeps.
struct Scratch {
  NgramTable table;
  std::vector<NgramKey> chain, slots;
  std::vector<CocoSample::Gram> grams;
  std::vector<int> count;
  std::vector<std::uint64_t> masks, lcs_row;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Hyyrö's bit-parallel LCS length ("Bit-parallel LCS-length computation revisited", 2004): bit i
// of the row is 0 where the LCS with the text read so far grows at pattern word i, so one pass
// over the text with word-wide additions replaces the |pattern| x |text| table.
class LcsPattern {
 public:
  LcsPattern(std::span<const NgramKey> pattern, Scratch& s) : pattern_size_(pattern.size()), s_(s) {
    words_ = (pattern.size() + 63) / 64;
    s.table.reset(pattern.size());
    s.masks.clear();
    int next = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const int id = s.table.insert(pattern[i], next);
      if (id == next) {
        ++next;
        s.masks.resize(s.masks.size() + words_, 0);
      }
      s.masks[static_cast<std::size_t>(id) * words_ + i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }

  std::size_t lcs(std::span<const NgramKey> text) const {
    std::vector<std::uint64_t>& row = s_.lcs_row;
    row.assign(words_, ~std::uint64_t{0});
    for (const NgramKey& word : text) {
      const int id = s_.table.find(word);
      if (id < 0) continue;  // no match anywhere: the row stays as it is
      const std::uint64_t* match = s_.masks.data() + static_cast<std::size_t>(id) * words_;
      bool carry = false, borrow = false;
      for (std::size_t w = 0; w < words_; ++w) {
        const std::uint64_t v = row[w], u = v & match[w];
        std::uint64_t sum, diff;
        const bool c1 = __builtin_add_overflow(v, u, &sum);
        const bool c2 = __builtin_add_overflow(sum, std::uint64_t{carry}, &sum);
        const bool b1 = __builtin_sub_overflow(v, u, &diff);
        const bool b2 = __builtin_sub_overflow(diff, std::uint64_t{borrow}, &diff);
        carry = c1 || c2;
        borrow = b1 || b2;
        row[w] = sum | diff;
      }
    }
    std::size_t ones = 0;
    for (std::size_t w = 0; w < words_; ++w) {
      const std::size_t bits = std::min<std::size_t>(64, pattern_size_ - w * 64);
      const std::uint64_t valid = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
      ones += static_cast<std::size_t>(std::popcount(row[w] & valid));
    }
    return pattern_size_ - ones;
  }

 private:
  std::size_t pattern_size_, words_ = 0;
  Scratch& s_;
};

// Rouge.calc_score: LCS with each reference, precision and recall maximized separately.
double rouge_l(const CocoCaption& hyp, std::span<const CocoCaption* const> refs, Scratch& s) {
  const double beta = 1.2;
  const std::span<const NgramKey> cand = hyp.rouge_words();  // never empty: split(" ")
  const LcsPattern pattern(cand, s);
  double prec_max = 0, rec_max = 0;
  for (const CocoCaption* ref : refs) {
    const std::span<const NgramKey> words = ref->rouge_words();
    const auto lcs = static_cast<double>(pattern.lcs(words));
    prec_max = std::max(prec_max, lcs / static_cast<double>(cand.size()));
    rec_max = std::max(rec_max, lcs / static_cast<double>(words.size()));
  }
  if (prec_max == 0 || rec_max == 0) return 0.0;
  const double b2 = std::pow(beta, 2);
  return ((1 + b2) * prec_max * rec_max) / (rec_max + b2 * prec_max);
}

int bigrams(std::span<const CocoSample::Gram> grams) {
  int total = 0;
  for (const CocoSample::Gram& g : grams) total += g.n == 2 ? g.count : 0;
  return total;
}

// cook_test(): clipped matches per order and the closest reference length.
void fill_bleu_row(CocoSample& out, const CocoCaption& hyp, std::span<const CocoCaption* const> refs) {
  std::array<std::int64_t, kCocoOrders> correct{};
  const std::span<const CocoSample::Gram> hyp_grams = out.hyp_grams();
  for (std::size_t j = 0; j < hyp_grams.size(); ++j) {
    int best = 0;
    for (std::size_t r = 0; r < out.num_refs(); ++r) best = std::max(best, out.counts_in_ref(r)[j]);
    correct[hyp_grams[j].n - 1] += std::min(hyp_grams[j].count, best);
  }
  std::vector<std::int64_t> ref_lens;
  for (const CocoCaption* ref : refs) ref_lens.push_back(static_cast<std::int64_t>(ref->words.size()));
  const auto testlen = static_cast<std::int64_t>(hyp.words.size());
  out.bleu_row[kCocoTestLen] = static_cast<double>(testlen);
  out.bleu_row[kCocoRefLen] = static_cast<double>(closest_ref_length(testlen, ref_lens));
  for (int k = 0; k < kCocoOrders; ++k) {
    out.bleu_row[kCocoGuess + k] = static_cast<double>(std::max<std::int64_t>(0, testlen - k));
    out.bleu_row[kCocoCorrect + k] = static_cast<double>(correct[k]);
  }
}

}  // namespace

std::size_t lcs_length(std::span<const NgramKey> a, std::span<const NgramKey> b) {
  if (a.empty() || b.empty()) return 0;
  return LcsPattern(a, scratch()).lcs(b);
}

std::shared_ptr<const CocoSample> make_coco_sample(const CocoCaption& hyp,
                                                   std::span<const CocoCaption* const> refs) {
  Scratch& s = scratch();
  auto out = std::make_shared<CocoSample>();
  std::size_t capacity = hyp.words.size() * kCocoOrders;
  for (const CocoCaption* ref : refs) capacity += ref->words.size() * kCocoOrders;
  s.table.reset(capacity);
  s.slots.clear();
  s.grams.clear();
  s.count.clear();
  // precook() of one caption: each distinct n-gram once, first-seen order, with its count.
  auto collect = [&](std::span<const NgramKey> words) {
    const std::size_t first = s.grams.size();
    for_each_ngram(words, kCocoOrders, s.chain, [&](int n, const NgramKey& key) {
      const int next = static_cast<int>(s.slots.size());
      const int slot = s.table.insert(key, next);
      if (slot == next) {
        s.slots.push_back(key);
        s.count.push_back(0);
      }
      if (s.count[slot]++ == 0) s.grams.push_back({static_cast<std::uint32_t>(slot), n, 0});
    });
    for (std::size_t k = first; k < s.grams.size(); ++k) {
      s.grams[k].count = s.count[s.grams[k].slot];
      s.count[s.grams[k].slot] = 0;
    }
  };
  for (const CocoCaption* ref : refs) {
    const std::size_t begin = s.grams.size();
    collect(ref->words);
    out->ref_end.push_back(static_cast<std::uint32_t>(s.grams.size()));
    out->ref_length.push_back(bigrams({s.grams.data() + begin, s.grams.size() - begin}));
  }
  out->doc_size = s.slots.size();
  out->hyp_begin = s.grams.size();
  collect(hyp.words);
  out->slot_ids.resize(s.slots.size());
  NgramIds::global().intern(s.slots, out->slot_ids.data());
  out->grams.assign(s.grams.begin(), s.grams.end());
  out->hyp_length = bigrams(out->hyp_grams());

  const std::span<const CocoSample::Gram> hyp_grams = out->hyp_grams();
  out->hyp_counts.reserve(refs.size() * hyp_grams.size());
  for (std::size_t r = 0; r < refs.size(); ++r) {
    for (const CocoSample::Gram& g : out->ref_grams(r)) s.count[g.slot] = g.count;
    for (const CocoSample::Gram& h : hyp_grams) out->hyp_counts.push_back(s.count[h.slot]);
    for (const CocoSample::Gram& g : out->ref_grams(r)) s.count[g.slot] = 0;
  }
  fill_bleu_row(*out, hyp, refs);
  out->rouge_l = rouge_l(hyp, refs, s);
  return out;
}

std::shared_ptr<const CocoSample> coco_sample(const Sample& sample, const Prediction& prediction) {
  if (!coco_applies(sample)) return nullptr;
  struct Last {
    bool scored = false;
    std::string hyp;
    std::vector<std::string> refs;
    std::shared_ptr<const CocoSample> value;
  };
  thread_local Last last;
  const bool scored = is_scored(prediction);
  if (last.value && last.scored == scored && (!scored || last.hyp == prediction.text) &&
      last.refs == sample.ref_texts)
    return last.value;

  // The captions live in this thread's scratch space; the sample keeps only its counts.
  thread_local std::vector<CocoCaption> captions;
  captions.resize(1 + sample.ref_texts.size());
  if (scored) coco_caption(prediction.text, captions[0]);
  else coco_caption_of_tokens("", captions[0]);
  std::vector<const CocoCaption*> ref_ptrs;
  for (std::size_t r = 0; r < sample.ref_texts.size(); ++r) {
    coco_caption(sample.ref_texts[r], captions[r + 1]);
    ref_ptrs.push_back(&captions[r + 1]);
  }
  last.value = nullptr;  // stays empty if building throws
  auto value = make_coco_sample(captions[0], ref_ptrs);
  last.scored = scored;
  last.hyp = scored ? prediction.text : std::string();
  last.refs = sample.ref_texts;
  last.value = value;
  return value;
}

}  // namespace imaxbench
