// One sample as the three pycocoevalcap-flavoured metrics see it, computed once for all of them:
// its BLEU row and the n-gram counts CIDEr-D keeps to recompute document frequencies over any
// subset, and on demand its ROUGE-L. Built from the captions after PTBTokenizer (coco_text.h).
//
// The harness computes every metric of a sample before the next sample (compute_metric_rows), so
// a one-entry cache per thread, checked against the sample's texts, lets bleu_1..4, rouge_l_coco
// and cider_d share one CocoSample and one tokenization without a process-wide table.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "metrics/metric.h"
#include "metrics/text/coco_text.h"

namespace imaxbench {

// Columns of the BLEU row, summed over samples: [testlen, reflen, guess_1..4, correct_1..4].
enum CocoBleuColumn { kCocoTestLen = 0, kCocoRefLen = 1, kCocoGuess = 2, kCocoCorrect = 6 };
inline constexpr int kCocoOrders = 4;

struct CocoSample final : SampleExtra {
  // A distinct n-gram of one caption: its slot among the sample's distinct n-grams, order, count.
  // 4 bytes: a sample holds hundreds of these, a corpus tens of millions. A count of kBigCount or
  // more (an n-gram said 7 times or more in one caption: 171 of 148,000 grams in the golden
  // corpora, which thereby test it against pycocoevalcap) is kept beside the grams: read counts
  // through count().
  static constexpr std::uint32_t kSlotBits = 26;  // coco_sample() refuses a sample with more slots
  static constexpr int kBigCount = 7;
  struct Gram {
    std::uint32_t slot : kSlotBits = 0;
    std::uint32_t n : 3 = 0;
    std::uint32_t small_count : 3 = 0;  // the count, or kBigCount when it is kept aside
  };
  // A count kept aside: the gram's index in grams() and its count.
  struct BigCount {
    std::uint32_t gram;
    int count;
  };

  struct Ref {
    std::uint32_t end = 0;  // of its grams
    int length = 0;         // bigram count, pycocoevalcap's "length"
  };

  CocoSample() = default;
  CocoSample(const CocoSample&) = delete;  // copies would share the arrays
  CocoSample& operator=(const CocoSample&) = delete;

  std::array<double, 10> bleu_row{};

  // CIDEr-D. Slots: the document (the distinct n-grams of the references, whose document
  // frequency the sample raises) first, then hypothesis n-grams found in no reference.
  std::uint32_t doc_size = 0;
  int hyp_length = 0;  // bigram count of the hypothesis

  // Sizes the arrays below, all in one block of this thread's chunk (allocate_in_chunk): a corpus
  // holds tens of thousands of samples, made in parallel and freed together.
  void allocate(std::size_t slots, std::size_t grams, std::size_t refs, std::size_t hyp_begin,
                std::size_t big_counts);

  // The count of grams()[g].
  int count(std::uint32_t g) const {
    const std::uint32_t small = grams_[g].small_count;
    return small != kBigCount ? static_cast<int>(small) : big_count(g);
  }
  int count(const Gram& g) const { return count(static_cast<std::uint32_t>(&g - grams_)); }

  // Each slot's n-gram as its NgramIds::global() id.
  std::span<std::uint32_t> slot_ids() { return {slot_ids_, num_slots_}; }
  std::span<const std::uint32_t> slot_ids() const { return {slot_ids_, num_slots_}; }
  // Each reference's distinct n-grams (reference r: [refs[r-1].end, refs[r].end), in precook()
  // order), then the hypothesis's from hyp_begin.
  std::span<Gram> grams() { return {grams_, num_grams_}; }
  std::span<const Gram> grams() const { return {grams_, num_grams_}; }
  std::span<Ref> refs() { return {refs_, num_refs_}; }
  std::span<const Ref> refs() const { return {refs_, num_refs_}; }

  std::size_t num_refs() const { return num_refs_; }
  std::span<const Gram> ref_grams(std::size_t r) const {
    const std::size_t begin = r == 0 ? 0 : refs_[r - 1].end;
    return {grams_ + begin, refs_[r].end - begin};
  }
  std::span<const Gram> hyp_grams() const { return {grams_ + hyp_begin_, num_grams_ - hyp_begin_}; }
  // The counts of kBigCount or more, by gram index.
  std::span<BigCount> big_counts() { return {big_, num_big_}; }

 private:
  int big_count(std::uint32_t g) const;

  std::shared_ptr<std::byte> storage_;
  Gram* grams_ = nullptr;
  BigCount* big_ = nullptr;
  Ref* refs_ = nullptr;
  std::uint32_t* slot_ids_ = nullptr;
  std::size_t num_grams_ = 0, num_refs_ = 0, num_slots_ = 0, hyp_begin_ = 0, num_big_ = 0;
};

// The sample's CocoSample, null when coco_applies() is false. A missing, failed or unparsed
// prediction is the empty hypothesis, as pycocoevalcap scores an empty caption.
std::shared_ptr<const CocoSample> coco_sample(const Sample& sample, const Prediction& prediction);
// rouge_l_coco's value for the sample, from the captions coco_sample() tokenized (computed once,
// and only for suites that ask for it: the LCS of every reference was 2-3% of scoring reports
// with the default metrics, which do not).
double coco_sample_rouge_l(const Sample& sample, const Prediction& prediction);

// Rouge.calc_score of captions directly (coco_rouge_l on tokenized text).
double coco_rouge_l(const CocoCaption& hyp, std::span<const CocoCaption* const> refs);

}  // namespace imaxbench
