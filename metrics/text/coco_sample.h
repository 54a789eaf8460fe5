// One sample as the three pycocoevalcap-flavoured metrics see it, computed once for all of them:
// its BLEU row, its ROUGE-L value and the n-gram counts CIDEr-D keeps to recompute document
// frequencies over any subset. Built from the captions after PTBTokenizer (coco_text.h).
//
// The harness computes every metric of a sample before the next sample (compute_metric_rows), so
// a one-entry cache per thread, checked against the sample's texts, lets bleu_1..4, rouge_l_coco
// and cider_d share one CocoSample without a process-wide table.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "metrics/metric.h"
#include "metrics/text/coco_text.h"

namespace imaxbench {

// Columns of the BLEU row, summed over samples: [testlen, reflen, guess_1..4, correct_1..4].
enum CocoBleuColumn { kCocoTestLen = 0, kCocoRefLen = 1, kCocoGuess = 2, kCocoCorrect = 6 };
inline constexpr int kCocoOrders = 4;

struct CocoSample final : SampleExtra {
  // A distinct n-gram of one caption: its slot among the sample's distinct n-grams, order, count.
  // 8 bytes: a sample holds hundreds of these, a corpus millions.
  struct Gram {
    std::uint32_t slot : 29 = 0;  // coco_sample() refuses a sample with more slots
    std::uint32_t n : 3 = 0;
    int count = 0;
  };

  std::array<double, 10> bleu_row{};
  double rouge_l = 0;

  // CIDEr-D. Slots: the document (the distinct n-grams of the references, whose document
  // frequency the sample raises) first, then hypothesis n-grams found in no reference; each
  // slot's n-gram as its NgramIds::global() id.
  std::vector<std::uint32_t> slot_ids;
  std::size_t doc_size = 0;
  // Each reference's distinct n-grams (reference r: [refs[r-1].end, refs[r].end), in precook()
  // order), then the hypothesis's from hyp_begin.
  std::vector<Gram> grams;
  struct Ref {
    std::uint32_t end = 0;  // of its grams
    int length = 0;         // bigram count, pycocoevalcap's "length"
  };
  std::vector<Ref> refs;
  std::size_t hyp_begin = 0;
  int hyp_length = 0;           // bigram count of the hypothesis
  // hyp_counts[r * hyp grams + j]: how often reference r contains hypothesis n-gram j.
  std::vector<int> hyp_counts;

  std::size_t num_refs() const { return refs.size(); }
  std::span<const Gram> ref_grams(std::size_t r) const {
    const std::size_t begin = r == 0 ? 0 : refs[r - 1].end;
    return {grams.data() + begin, refs[r].end - begin};
  }
  std::span<const Gram> hyp_grams() const {
    return {grams.data() + hyp_begin, grams.size() - hyp_begin};
  }
  std::span<const int> counts_in_ref(std::size_t r) const {
    const std::size_t h = grams.size() - hyp_begin;
    return {hyp_counts.data() + r * h, h};
  }
};

// The sample's CocoSample, null when coco_applies() is false. A missing, failed or unparsed
// prediction is the empty hypothesis, as pycocoevalcap scores an empty caption.
std::shared_ptr<const CocoSample> coco_sample(const Sample& sample, const Prediction& prediction);

// Rouge.calc_score of captions directly (coco_rouge_l on tokenized text).
double coco_rouge_l(const CocoCaption& hyp, std::span<const CocoCaption* const> refs);

}  // namespace imaxbench
