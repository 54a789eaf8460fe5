// CIDEr-D's per-sample n-gram data over one set of rows, laid out once for resampling. A sample's
// n-grams (slots) fall into three kinds by where their document frequency comes from:
//   - shared: a reference n-gram more than one sample refers to; it gets a dense row, and a
//     resample's frequency is the sum of the draw counts of the samples whose references hold it:
//     for a hot row (the kHotRows most used) added from those samples' hot slots, for a cold one
//     along its list of them (a posting list). Rows are numbered by how many samples refer to
//     them, most first, so the common ones, which most samples read, sit together and stay in cache;
//   - own: a reference n-gram no other sample has; its frequency is the sample's own draw count;
//   - absent: a hypothesis n-gram in no sample's references; its frequency is 0.
// The grams themselves stay in the samples (CocoSample) and are read in place.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "metrics/metric.h"
#include "metrics/text/coco_sample.h"
#include "metrics/text/huge_pages.h"

namespace imaxbench {

struct CiderCorpus {
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // One caption's grams by order: grams()[order[k], order[k + 1]) have order k + 1 (precook()
  // puts them in that order). For a reference also its grams the hypothesis shares, with the
  // hypothesis's count: matches[match[k], match[k + 1]) of order k + 1, in reference order.
  struct Caption {
    std::array<std::uint32_t, 5> order{}, match{};
    double penalty = 0;  // the Gaussian length penalty against the hypothesis (references only)
  };
  // A reference gram the hypothesis shares, in 4 bytes (tens of millions of them at 100,000
  // reports): its index into the sample's grams() above the hypothesis's count of it; a count of
  // kBigHypCount or more is kept aside, in big_hyp_counts. Read the count through hyp_count().
  struct Match {
    static constexpr int kCountBits = 8;
    static constexpr std::uint32_t kBigHypCount = (1u << kCountBits) - 1;
    std::uint32_t packed;
    std::uint32_t gram() const { return packed >> kCountBits; }
  };
  // Grams of one sample a Match can index; build_cider_corpus() refuses a sample with more.
  static constexpr std::size_t kMaxGrams = std::size_t{1} << (32 - Match::kCountBits);
  struct BigHypCount {
    std::uint32_t match;  // index into matches
    int count;
  };
  struct Shared {
    std::uint32_t slot, row;
  };
  // A sample with n-gram data (a CocoSample), in sample order. Its slots of each kind are
  // [begin, next member's begin) of hot, cold, own and absent; the last member's end at the back.
  struct Member {
    const CocoSample* sample;
    std::uint32_t hot_begin, cold_begin, own_begin, absent_begin;
    std::uint32_t caption_begin;  // into captions: the hypothesis, then each reference
  };

  // Shared rows below this are hot: the most used ones, whose logs are computed once per row
  // rather than once per slot (at 20,000 reports they take about two thirds of the reads).
  static constexpr int kHotRowBits = 13;
  static constexpr std::uint32_t kHotRows = 1u << kHotRowBits;
  // A hot slot in 4 bytes, its slot above its row (the most common kind: 27 million of them at
  // 100,000 reports), so a member has at most kMaxSlots slots; build_cider_corpus() refuses more.
  static constexpr std::size_t kMaxSlots = std::size_t{1} << (32 - kHotRowBits);
  static std::uint32_t hot_entry(std::uint32_t slot, std::uint32_t row) { return slot << kHotRowBits | row; }
  static std::uint32_t hot_slot(std::uint32_t entry) { return entry >> kHotRowBits; }
  static std::uint32_t hot_row(std::uint32_t entry) { return entry & (kHotRows - 1); }

  // Hundreds of MB at 100,000 reports, GBs at a million: each large block passes the memory check
  // (HugeVector), so a layout that cannot fit stops the command with a message.
  HugeVector<Member> members;           // plus one sentinel holding the ends
  HugeVector<std::uint32_t> member_of;  // per sample of the rows: its member, or kNone
  HugeVector<std::uint32_t> hot;        // shared slots with a row below kHotRows (hot_entry())
  HugeVector<Shared> cold;              // shared slots with a row from kHotRows
  HugeVector<std::uint32_t> own, absent;  // slots
  HugeVector<Caption> captions;
  HugeVector<Match> matches;
  HugeVector<BigHypCount> big_hyp_counts;  // by match index
  HugeVector<std::uint32_t> row_begin;    // rows + 1 offsets into row_members
  // Posting lists: the members whose references hold the row. Cold rows only (a hot row's is
  // empty): hot rows' frequencies are summed from the members' hot slots.
  HugeVector<std::uint32_t> row_members;
  std::size_t max_slots = 0;               // most slots of one member

  // The hypothesis's count of matches[j]'s gram.
  int hyp_count(std::uint32_t j) const {
    const std::uint32_t small = matches[j].packed & Match::kBigHypCount;
    if (small != Match::kBigHypCount) return static_cast<int>(small);
    return std::lower_bound(big_hyp_counts.begin(), big_hyp_counts.end(), j,
                            [](const BigHypCount& b, std::uint32_t i) { return b.match < i; })
        ->count;
  }
  std::size_t num_members() const { return members.empty() ? 0 : members.size() - 1; }
  std::size_t num_rows() const { return row_begin.empty() ? 0 : row_begin.size() - 1; }
  std::size_t num_hot_rows() const { return std::min<std::size_t>(num_rows(), kHotRows); }
};

// The layout of `stats` (cider_d's rows and extras). False when a caption's grams are not in
// order (never, as coco_sample() builds them) or a sample has more than kMaxSlots distinct n-grams
// or kMaxGrams grams (references of over 100,000 words); the caller then scores resamples one by one.
bool build_cider_corpus(const MetricRows& stats, CiderCorpus& out);

}  // namespace imaxbench
