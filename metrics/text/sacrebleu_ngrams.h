// Clipped n-gram matches of one hypothesis against its references, as both sacreBLEU
// (BLEU._compute_segment_statistics) and nltk (modified_precision) count them: for each order n,
// total = the hypothesis's n-grams, correct = sum over its distinct n-grams of
// min(count in hypothesis, max count in any one reference).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace imaxbench {

inline constexpr int kMaxNgramOrder = 4;

struct NgramMatches {
  std::array<std::int64_t, kMaxNgramOrder> correct{};
  std::array<std::int64_t, kMaxNgramOrder> total{};
};

// A fast hash for short strings (words): 8 bytes at a time, multiply-mixed.
std::size_t word_hash(std::string_view s);

// Words as small integers, equal words equal ids (0, 1, 2, ... in order of first sight), so
// n-grams compare as integers. Holds views: the words must outlive it (or the next reset()).
// One object can serve sample after sample: reset() forgets the words but keeps the memory.
class WordIds {
 public:
  explicit WordIds(std::size_t expected_words = 32);
  std::vector<std::uint32_t> ids(std::span<const std::string_view> words);
  // The same into `out` (replaced), without allocating once warm.
  void ids(std::span<const std::string_view> words, std::vector<std::uint32_t>& out);
  void reset();
  std::size_t size() const { return used_; }

 private:
  // Slots belong to the current word set only when their stamp is stamp_: reset() is O(1).
  struct Slot {
    const char* data = nullptr;
    std::uint32_t size = 0, hash = 0, id = 0, stamp = 0;
  };
  std::uint32_t id_of(std::string_view word);
  std::vector<Slot> table_;  // open addressing, power-of-two size
  std::size_t used_ = 0;
  std::uint32_t stamp_ = 1;
  void grow();
};

// Orders min_order..max_order (at most kMaxNgramOrder); other orders stay 0.
NgramMatches ngram_matches(std::span<const std::uint32_t> hyp,
                           std::span<const std::vector<std::uint32_t>> refs, int max_order,
                           int min_order = 1);
NgramMatches ngram_matches(std::span<const std::uint32_t> hyp,
                           std::span<const std::span<const std::uint32_t>> refs, int max_order,
                           int min_order = 1);

// The reference length BLEU compares with: the one closest to hyp_len, the shorter on a tie
// (sacreBLEU's _get_closest_ref_len and nltk's closest_ref_length agree). 0 without references.
std::int64_t closest_ref_length(std::int64_t hyp_len, std::span<const std::int64_t> ref_lens);

}  // namespace imaxbench
