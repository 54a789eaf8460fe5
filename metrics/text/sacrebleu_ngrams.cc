#include "metrics/text/sacrebleu_ngrams.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

#include "metrics/text/stamped_slots.h"

namespace imaxbench {

namespace {

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

using Refs = std::span<const std::span<const std::uint32_t>>;

template <class K>
NgramMatches matches(std::span<const std::uint32_t> hyp, Refs refs, int min_order, int max_order) {
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

// Open-addressing counts keyed by NarrowKey, reused from sample to sample. A slot is live only
// when its stamp is the table's: reset() costs nothing per slot, so small samples stay cheap.
class StampedCounts {
 public:
  void reset(std::size_t expected) {
    std::size_t size = 64;
    while (size < expected * 2) size *= 2;
    if (size > slots_.size()) slots_.assign(size, Slot{});
    mask_ = size - 1;  // only the first `size` slots: small samples touch little memory
    shift_ = 64 - std::countr_zero(size);
    next_stamp(stamp_, slots_);
  }
  std::int32_t& at(NarrowKey key) {
    std::size_t i = slot_of(key);
    while (slots_[i].stamp == stamp_ && slots_[i].key != key) i = (i + 1) & mask_;
    Slot& slot = slots_[i];
    if (slot.stamp != stamp_) slot = {key, stamp_, 0};
    return slot.count;
  }
  std::int32_t* find(NarrowKey key) {
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.stamp != stamp_) return nullptr;
      if (slot.key == key) return &slot.count;
    }
  }

 private:
  struct Slot {
    NarrowKey key = 0;
    std::uint32_t stamp = 0;
    std::int32_t count = 0;
  };
  std::size_t slot_of(NarrowKey key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::uint32_t stamp_ = 0;
};

std::size_t ngram_count(std::size_t len, int min_order, int max_order) {
  std::size_t c = 0;
  for (int n = min_order; n <= max_order; ++n) c += len >= static_cast<std::size_t>(n) ? len - n + 1 : 0;
  return c;
}

// Calls fn(order, key) for every n-gram of orders min_order..max_order, building each position's
// keys from the previous order's instead of repacking.
template <class Fn>
void for_each_narrow(std::span<const std::uint32_t> ids, int min_order, int max_order, Fn fn) {
  const std::size_t len = ids.size();
  for (std::size_t i = 0; i < len; ++i) {
    NarrowKey key = 0;
    const int top = static_cast<int>(std::min<std::size_t>(max_order, len - i));
    for (int n = 1; n <= top; ++n) {
      key |= NarrowKey{ids[i + n - 1] + 1u} << (64 - 16 * n);
      if (n >= min_order) fn(n, key);
    }
  }
}

// matches<NarrowKey> by hashing instead of sorting: every order in one table. The table holds
// the most any one reference has of each n-gram; each hypothesis n-gram then takes one from its
// count while any is left, which counts sum over distinct n-grams of min(hyp count, max ref
// count) without a second table.
NgramMatches narrow_matches(std::span<const std::uint32_t> hyp, Refs refs, int min_order,
                            int max_order) {
  thread_local StampedCounts best, one_ref;
  std::size_t ref_ngrams = 0;
  for (const auto& ref : refs) ref_ngrams += ngram_count(ref.size(), min_order, max_order);
  best.reset(ref_ngrams);
  if (refs.size() == 1) {  // one reference: its counts are the max
    for_each_narrow(refs[0], min_order, max_order, [&](int, NarrowKey key) { ++best.at(key); });
  } else {
    for (const auto& ref : refs) {
      one_ref.reset(ngram_count(ref.size(), min_order, max_order));
      for_each_narrow(ref, min_order, max_order, [&](int, NarrowKey key) {
        const std::int32_t c = ++one_ref.at(key);
        std::int32_t& b = best.at(key);
        b = std::max(b, c);
      });
    }
  }
  NgramMatches m;
  for_each_narrow(hyp, min_order, max_order, [&](int n, NarrowKey key) {
    ++m.total[n - 1];
    std::int32_t* left = best.find(key);
    if (left != nullptr && *left > 0) {
      --*left;
      ++m.correct[n - 1];
    }
  });
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
  table_.assign(size, Slot{});
}

void WordIds::reset() {
  used_ = 0;
  next_stamp(stamp_, table_);
}

void WordIds::grow() {
  std::vector<Slot> old(table_.size() * 2);
  old.swap(table_);
  const std::size_t mask = table_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.stamp != stamp_) continue;
    std::size_t h = slot.hash & mask;
    while (table_[h].stamp == stamp_) h = (h + 1) & mask;
    table_[h] = slot;
  }
}

std::uint32_t WordIds::id_of(std::string_view word) {
  if ((used_ + 1) * 2 > table_.size()) grow();
  const std::size_t mask = table_.size() - 1;
  const auto hash = static_cast<std::uint32_t>(word_hash(word));
  std::size_t h = hash & mask;
  for (;; h = (h + 1) & mask) {
    const Slot& slot = table_[h];
    if (slot.stamp != stamp_) break;
    if (slot.hash == hash && slot.size == word.size() &&
        std::memcmp(slot.data, word.data(), word.size()) == 0)
      return slot.id;
  }
  const auto id = static_cast<std::uint32_t>(used_++);
  table_[h] = {word.data(), static_cast<std::uint32_t>(word.size()), hash, id, stamp_};
  return id;
}

std::vector<std::uint32_t> WordIds::ids(std::span<const std::string_view> words) {
  std::vector<std::uint32_t> out;
  ids(words, out);
  return out;
}

void WordIds::ids(std::span<const std::string_view> words, std::vector<std::uint32_t>& out) {
  out.resize(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) out[i] = id_of(words[i]);
}

NgramMatches ngram_matches(std::span<const std::uint32_t> hyp,
                           std::span<const std::vector<std::uint32_t>> refs, int max_order,
                           int min_order) {
  thread_local std::vector<std::span<const std::uint32_t>> spans;
  spans.assign(refs.begin(), refs.end());
  return ngram_matches(hyp, std::span<const std::span<const std::uint32_t>>(spans), max_order,
                       min_order);
}

NgramMatches ngram_matches(std::span<const std::uint32_t> hyp, Refs refs, int max_order,
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
