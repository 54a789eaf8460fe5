#include "metrics/text/coco_sample.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "metrics/mean_metric.h"
#include "metrics/text/huge_pages.h"
#include "metrics/text/lcs.h"
#include "metrics/text/ngram_ids.h"
#include "metrics/text/sacrebleu_ngrams.h"
#include "core/error.h"

namespace imaxbench {

void CocoSample::allocate(std::size_t slots, std::size_t grams, std::size_t refs,
                          std::size_t hyp_begin, std::size_t big_counts) {
  static_assert(sizeof(Gram) == 4 && alignof(Gram) == alignof(std::uint32_t) &&
                alignof(Ref) == alignof(std::uint32_t) && alignof(BigCount) == alignof(std::uint32_t));
  // Memory from aligned_alloc implicitly creates the Grams, Refs, counts and ids (implicit-lifetime
  // types) written here.
  const std::size_t refs_at = grams * sizeof(Gram), big_at = refs_at + refs * sizeof(Ref),
                    ids_at = big_at + big_counts * sizeof(BigCount);
  storage_ = allocate_in_chunk(ids_at + slots * sizeof(std::uint32_t));
  std::byte* p = storage_.get();
  grams_ = reinterpret_cast<Gram*>(p);
  refs_ = reinterpret_cast<Ref*>(p + refs_at);
  big_ = reinterpret_cast<BigCount*>(p + big_at);
  slot_ids_ = reinterpret_cast<std::uint32_t*>(p + ids_at);
  num_grams_ = grams;
  num_refs_ = refs;
  num_slots_ = slots;
  hyp_begin_ = hyp_begin;
  num_big_ = big_counts;
}

int CocoSample::big_count(std::uint32_t g) const {
  const BigCount* it = std::lower_bound(big_, big_ + num_big_, g,
                                        [](const BigCount& b, std::uint32_t i) { return b.gram < i; });
  return it->count;  // present: written for every gram whose small_count is kBigCount
}

namespace {

// A gram while the sample is built, its count whole.
struct Counted {
  std::uint32_t slot, n;
  int count;
};

// Per-thread scratch space, so building a sample allocates only what it keeps.
struct Scratch {
  NgramTable table;
  std::vector<NgramKey> chain, slots;
  std::vector<Counted> grams;
  std::vector<CocoSample::Ref> refs;
  std::vector<int> count, best;
  std::vector<std::uint32_t> cand_ids, ref_ids;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Rouge.calc_score: LCS with each reference, precision and recall maximized separately.
double rouge_l(const CocoCaption& hyp, std::span<const CocoCaption* const> refs, Scratch& s) {
  const double beta = 1.2;
  // Equal words (equal hashes), equal dense ids: what lcs_length compares.
  std::size_t words = hyp.rouge_words().size();
  for (const CocoCaption* ref : refs) words += ref->rouge_words().size();
  s.table.reset(words);
  int next = 0;
  auto ids = [&](std::span<const NgramKey> keys, std::vector<std::uint32_t>& out) {
    out.clear();
    for (const NgramKey& key : keys) {
      const int id = s.table.insert(key, next);
      if (id == next) ++next;
      out.push_back(static_cast<std::uint32_t>(id));
    }
  };
  ids(hyp.rouge_words(), s.cand_ids);  // never empty: split(" ")
  double prec_max = 0, rec_max = 0;
  for (const CocoCaption* ref : refs) {
    ids(ref->rouge_words(), s.ref_ids);
    const auto lcs = static_cast<double>(
        lcs_length(s.ref_ids, s.cand_ids, static_cast<std::uint32_t>(next)));
    prec_max = std::max(prec_max, lcs / static_cast<double>(s.cand_ids.size()));
    rec_max = std::max(rec_max, lcs / static_cast<double>(s.ref_ids.size()));
  }
  if (prec_max == 0 || rec_max == 0) return 0.0;
  const double b2 = std::pow(beta, 2);
  return ((1 + b2) * prec_max * rec_max) / (rec_max + b2 * prec_max);
}

int bigrams(std::span<const Counted> grams) {
  int total = 0;
  for (const Counted& g : grams) total += g.n == 2 ? g.count : 0;
  return total;
}

// cook_test(): clipped matches per order and the closest reference length. `best` is zero for
// every slot on entry and on return.
void fill_bleu_row(CocoSample& out, const CocoCaption& hyp, std::span<const CocoCaption* const> refs,
                   std::span<const Counted> grams, std::size_t hyp_begin, std::vector<int>& best) {
  // maxcounts: each n-gram's highest count in any one reference.
  best.resize(out.slot_ids().size(), 0);
  for (std::size_t k = 0; k < hyp_begin; ++k) best[grams[k].slot] = std::max(best[grams[k].slot], grams[k].count);
  std::array<std::int64_t, kCocoOrders> correct{};
  for (std::size_t k = hyp_begin; k < grams.size(); ++k)
    correct[grams[k].n - 1] += std::min(grams[k].count, best[grams[k].slot]);
  std::fill(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(out.doc_size), 0);
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

// The sample's n-gram counts and BLEU row from its captions.
std::shared_ptr<const CocoSample> make_coco_sample(const CocoCaption& hyp,
                                                   std::span<const CocoCaption* const> refs) {
  Scratch& s = scratch();
  auto out = std::make_shared<CocoSample>();
  std::size_t capacity = hyp.words.size() * kCocoOrders;
  for (const CocoCaption* ref : refs) capacity += ref->words.size() * kCocoOrders;
  s.table.reset(capacity);
  s.slots.clear();
  s.grams.clear();
  s.refs.clear();
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
      if (s.count[slot]++ == 0)
        s.grams.push_back({static_cast<std::uint32_t>(slot), static_cast<std::uint32_t>(n), 0});
    });
    for (std::size_t k = first; k < s.grams.size(); ++k) {
      s.grams[k].count = s.count[s.grams[k].slot];
      s.count[s.grams[k].slot] = 0;
    }
  };
  for (const CocoCaption* ref : refs) {
    const std::size_t begin = s.grams.size();
    collect(ref->words);
    s.refs.push_back({static_cast<std::uint32_t>(s.grams.size()),
                      bigrams({s.grams.data() + begin, s.grams.size() - begin})});
  }
  out->doc_size = static_cast<std::uint32_t>(s.slots.size());
  if (s.slots.size() + hyp.words.size() * kCocoOrders >= (std::size_t{1} << CocoSample::kSlotBits))
    throw Error("a sample's references and answer hold more than 2^" + std::to_string(CocoSample::kSlotBits) +
                " distinct n-grams (millions of words); split the text");
  const std::size_t hyp_begin = s.grams.size();
  collect(hyp.words);
  std::size_t big = 0;
  for (const Counted& g : s.grams) big += g.count >= CocoSample::kBigCount;
  out->allocate(s.slots.size(), s.grams.size(), s.refs.size(), hyp_begin, big);
  NgramIds::global().intern(s.slots, out->slot_ids().data());
  const std::span<CocoSample::Gram> grams = out->grams();
  const std::span<CocoSample::BigCount> big_counts = out->big_counts();
  big = 0;
  for (std::size_t k = 0; k < s.grams.size(); ++k) {
    const Counted& g = s.grams[k];
    const int small = std::min(g.count, CocoSample::kBigCount);
    grams[k] = {g.slot, g.n, static_cast<std::uint32_t>(small)};
    if (small == CocoSample::kBigCount) big_counts[big++] = {static_cast<std::uint32_t>(k), g.count};
  }
  std::copy(s.refs.begin(), s.refs.end(), out->refs().begin());
  out->hyp_length = bigrams(std::span<const Counted>(s.grams).subspan(hyp_begin));
  fill_bleu_row(*out, hyp, refs, s.grams, hyp_begin, s.best);
  return out;
}

}  // namespace

double coco_rouge_l(const CocoCaption& hyp, std::span<const CocoCaption* const> refs) {
  return rouge_l(hyp, refs, scratch());
}

namespace {

// This thread's last sample: its texts, the captions tokenized from them (the hypothesis, then
// each reference) and what was computed from those.
struct Last {
  bool scored = false;
  std::string hyp;
  std::vector<std::string> refs;
  std::uint64_t generation = 0;  // its ids' (NgramIds::release() starts a new set of ids)
  std::vector<CocoCaption> captions;
  std::shared_ptr<const CocoSample> value;
  std::optional<double> rouge_l;  // computed when first asked for
};

Last& last_sample() {
  thread_local Last last;
  return last;
}

}  // namespace

std::shared_ptr<const CocoSample> coco_sample(const Sample& sample, const Prediction& prediction) {
  if (!coco_applies(sample)) return nullptr;
  Last& last = last_sample();
  const bool scored = is_scored(prediction);
  const std::uint64_t generation = NgramIds::global().generation();
  if (last.value && last.generation == generation && last.scored == scored &&
      (!scored || last.hyp == prediction.text) && last.refs == sample.ref_texts)
    return last.value;

  // The captions live in this thread's scratch space; the sample keeps only its counts.
  last.value = nullptr;  // stays empty if building throws
  last.rouge_l.reset();
  std::vector<CocoCaption>& captions = last.captions;
  captions.resize(1 + sample.ref_texts.size());
  if (scored) coco_caption(prediction.text, captions[0]);
  else coco_caption_of_tokens("", captions[0]);
  std::vector<const CocoCaption*> ref_ptrs;
  for (std::size_t r = 0; r < sample.ref_texts.size(); ++r) {
    coco_caption(sample.ref_texts[r], captions[r + 1]);
    ref_ptrs.push_back(&captions[r + 1]);
  }
  auto value = make_coco_sample(captions[0], ref_ptrs);
  last.scored = scored;
  last.hyp = scored ? prediction.text : std::string();
  last.refs = sample.ref_texts;
  last.generation = generation;
  last.value = value;
  return value;
}

double coco_sample_rouge_l(const Sample& sample, const Prediction& prediction) {
  coco_sample(sample, prediction);  // this sample's captions, now the last ones
  Last& last = last_sample();
  if (!last.rouge_l) {
    std::vector<const CocoCaption*> refs;
    for (std::size_t r = 1; r < last.captions.size(); ++r) refs.push_back(&last.captions[r]);
    last.rouge_l = coco_rouge_l(last.captions[0], refs);
  }
  return *last.rouge_l;
}

}  // namespace imaxbench
