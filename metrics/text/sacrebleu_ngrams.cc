#include "metrics/text/sacrebleu_ngrams.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

namespace imaxbench {

namespace {

constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();

// An n-gram of word ids (n <= 4) packed into two words; order is lexicographic on ids.
struct WideKey {
  std::uint64_t hi = 0, lo = 0;
  auto operator<=>(const WideKey&) const = default;
};
// The same in one word, when every id + 1 fits 16 bits (nearly always: ids count the distinct
// words of one sample).
using NarrowKey = std::uint64_t;
constexpr std::uint32_t kNarrowIds = 0xFFFF;

template <class K>
K key_at(std::span<const std::uint32_t> ids, std::size_t i, int n) {
  std::uint64_t w[4] = {0, 0, 0, 0};
  for (int k = 0; k < n; ++k) w[k] = ids[i + k] + 1;  // +1 keeps shorter n-grams distinct
  if constexpr (std::is_same_v<K, NarrowKey>) return (w[0] << 48) | (w[1] << 32) | (w[2] << 16) | w[3];
  else return WideKey{(w[0] << 32) | w[1], (w[2] << 32) | w[3]};
}

template <class K>
struct Scratch {
  std::vector<K> keys;
  std::vector<std::pair<K, std::int64_t>> hyp_counts, ref_counts;
  std::vector<std::int64_t> best;  // max reference count of each distinct hypothesis n-gram
};

// Sorted distinct n-grams of order n with their counts.
template <class K>
void count_ngrams(std::span<const std::uint32_t> ids, int n, std::vector<K>& keys,
                  std::vector<std::pair<K, std::int64_t>>& out) {
  out.clear();
  keys.clear();
  if (ids.size() < static_cast<std::size_t>(n)) return;
  for (std::size_t i = 0; i + n <= ids.size(); ++i) keys.push_back(key_at<K>(ids, i, n));
  std::sort(keys.begin(), keys.end());
  for (const K& k : keys) {
    if (!out.empty() && out.back().first == k) ++out.back().second;
    else out.emplace_back(k, 1);
  }
}

template <class K>
NgramMatches matches(std::span<const std::uint32_t> hyp,
                     std::span<const std::vector<std::uint32_t>> refs, int min_order, int max_order) {
  thread_local Scratch<K> s;  // reused buffers: no allocation per sample once warm
  NgramMatches m;
  for (int n = min_order; n <= max_order; ++n) {
    count_ngrams(hyp, n, s.keys, s.hyp_counts);
    if (s.hyp_counts.empty()) continue;
    s.best.assign(s.hyp_counts.size(), 0);
    for (const auto& ref : refs) {
      count_ngrams(ref, n, s.keys, s.ref_counts);
      std::size_t r = 0;
      for (std::size_t h = 0; h < s.hyp_counts.size() && r < s.ref_counts.size(); ++h) {
        while (r < s.ref_counts.size() && s.ref_counts[r].first < s.hyp_counts[h].first) ++r;
        if (r < s.ref_counts.size() && s.ref_counts[r].first == s.hyp_counts[h].first)
          s.best[h] = std::max(s.best[h], s.ref_counts[r].second);
      }
    }
    for (std::size_t h = 0; h < s.hyp_counts.size(); ++h) {
      m.total[n - 1] += s.hyp_counts[h].second;
      m.correct[n - 1] += std::min(s.hyp_counts[h].second, s.best[h]);
    }
  }
  return m;
}

// Open-addressing counts keyed by NarrowKey (0 is never a key), reused from sample to sample.
class FlatCounts {
 public:
  void reset(std::size_t expected) {
    for (std::uint32_t slot : used_) keys_[slot] = 0;
    used_.clear();
    std::size_t size = 16;
    while (size < expected * 2) size *= 2;
    if (size > keys_.size()) {
      keys_.assign(size, 0);
      counts_.assign(size, 0);
      shift_ = 64 - std::countr_zero(size);
    }
  }
  std::int64_t& at(NarrowKey key) {
    std::size_t i = slot_of(key);
    while (keys_[i] != 0 && keys_[i] != key) i = (i + 1) & (keys_.size() - 1);
    if (keys_[i] == 0) {
      keys_[i] = key;
      counts_[i] = 0;
      used_.push_back(static_cast<std::uint32_t>(i));
    }
    return counts_[i];
  }
  std::int64_t get(NarrowKey key) const {
    for (std::size_t i = slot_of(key);; i = (i + 1) & (keys_.size() - 1)) {
      if (keys_[i] == key) return counts_[i];
      if (keys_[i] == 0) return 0;
    }
  }
  const std::vector<std::uint32_t>& used() const { return used_; }
  NarrowKey key(std::uint32_t slot) const { return keys_[slot]; }
  std::int64_t count(std::uint32_t slot) const { return counts_[slot]; }

 private:
  std::size_t slot_of(NarrowKey key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  std::vector<NarrowKey> keys_;
  std::vector<std::int64_t> counts_;
  std::vector<std::uint32_t> used_;
  int shift_ = 64;
};

std::size_t ngram_count(std::size_t len, int min_order, int max_order) {
  std::size_t c = 0;
  for (int n = min_order; n <= max_order; ++n) c += len >= static_cast<std::size_t>(n) ? len - n + 1 : 0;
  return c;
}

// The order of a packed n-gram: its number of non-zero 16-bit lanes.
int order_of(NarrowKey key) {
  return (key & 0xFFFF) ? 4 : (key & 0xFFFF0000ull) ? 3 : (key & 0xFFFF00000000ull) ? 2 : 1;
}

// matches<NarrowKey> by hashing instead of sorting: every order at once, one table per text.
NgramMatches narrow_matches(std::span<const std::uint32_t> hyp,
                            std::span<const std::vector<std::uint32_t>> refs, int min_order,
                            int max_order) {
  thread_local FlatCounts best, one_ref, hyp_counts;
  std::size_t ref_ngrams = 0;
  for (const auto& ref : refs) ref_ngrams += ngram_count(ref.size(), min_order, max_order);
  best.reset(ref_ngrams);
  for (const auto& ref : refs) {
    FlatCounts& into = refs.size() == 1 ? best : one_ref;  // one reference: its counts are the max
    if (&into == &one_ref) one_ref.reset(ngram_count(ref.size(), min_order, max_order));
    for (int n = min_order; n <= max_order; ++n)
      for (std::size_t i = 0; i + n <= ref.size(); ++i) ++into.at(key_at<NarrowKey>(ref, i, n));
    if (&into == &one_ref)
      for (std::uint32_t slot : one_ref.used()) {
        std::int64_t& b = best.at(one_ref.key(slot));
        b = std::max(b, one_ref.count(slot));
      }
  }
  hyp_counts.reset(ngram_count(hyp.size(), min_order, max_order));
  for (int n = min_order; n <= max_order; ++n)
    for (std::size_t i = 0; i + n <= hyp.size(); ++i) ++hyp_counts.at(key_at<NarrowKey>(hyp, i, n));
  NgramMatches m;
  for (std::uint32_t slot : hyp_counts.used()) {
    const NarrowKey key = hyp_counts.key(slot);
    const std::int64_t c = hyp_counts.count(slot);
    const int n = order_of(key);
    m.total[n - 1] += c;
    m.correct[n - 1] += std::min(c, best.get(key));
  }
  return m;
}

}  // namespace

std::size_t word_hash(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = s.size() * kMul;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  return static_cast<std::size_t>(h ^ (h >> 32));
}

WordIds::WordIds(std::size_t expected_words) {
  std::size_t size = 64;
  while (size < expected_words * 2) size *= 2;
  table_.assign(size, {std::string_view{}, kEmpty});
}

void WordIds::grow() {
  std::vector<std::pair<std::string_view, std::uint32_t>> old;
  old.swap(table_);
  table_.assign(old.size() * 2, {std::string_view{}, kEmpty});
  const std::size_t mask = table_.size() - 1;
  for (const auto& [word, id] : old) {
    if (id == kEmpty) continue;
    std::size_t h = word_hash(word) & mask;
    while (table_[h].second != kEmpty) h = (h + 1) & mask;
    table_[h] = {word, id};
  }
}

std::vector<std::uint32_t> WordIds::ids(std::span<const std::string_view> words) {
  std::vector<std::uint32_t> out;
  out.reserve(words.size());
  for (std::string_view word : words) {
    if ((used_ + 1) * 2 > table_.size()) grow();
    const std::size_t mask = table_.size() - 1;
    std::size_t h = word_hash(word) & mask;
    while (table_[h].second != kEmpty && table_[h].first != word) h = (h + 1) & mask;
    if (table_[h].second == kEmpty) table_[h] = {word, static_cast<std::uint32_t>(used_++)};
    out.push_back(table_[h].second);
  }
  return out;
}

NgramMatches ngram_matches(std::span<const std::uint32_t> hyp,
                           std::span<const std::vector<std::uint32_t>> refs, int max_order,
                           int min_order) {
  min_order = std::max(min_order, 1);
  max_order = std::min(max_order, kMaxNgramOrder);
  std::uint32_t max_id = 0;
  for (std::uint32_t id : hyp) max_id = std::max(max_id, id);
  for (const auto& ref : refs)
    for (std::uint32_t id : ref) max_id = std::max(max_id, id);
  if (max_id < kNarrowIds) return narrow_matches(hyp, refs, min_order, max_order);
  return matches<WideKey>(hyp, refs, min_order, max_order);
}

std::int64_t closest_ref_length(std::int64_t hyp_len, std::span<const std::int64_t> ref_lens) {
  std::int64_t best_len = 0, best_diff = -1;
  for (std::int64_t len : ref_lens) {
    const std::int64_t diff = std::llabs(hyp_len - len);
    if (best_diff < 0 || diff < best_diff || (diff == best_diff && len < best_len)) {
      best_diff = diff;
      best_len = len;
    }
  }
  return best_len;
}

}  // namespace imaxbench
