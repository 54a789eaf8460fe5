#include "metrics/text/sacrebleu_ngrams.h"

#include <algorithm>
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
  if (max_id < kNarrowIds) return matches<NarrowKey>(hyp, refs, min_order, max_order);
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
