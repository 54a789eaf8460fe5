#include "metrics/text/ngram_ids.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "metrics/text/huge_pages.h"
#include "core/error.h"

namespace imaxbench {

namespace {

constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

// Tells the core this is a spin-wait (no busy issue slots, no memory-order misspeculation).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Open-addressing map from NgramKey to a dense id; key and id side by side, so a probe costs one
// cache miss.
class KeyTable {
 public:
  std::uint32_t id(const NgramKey& key) {
    if ((size_ + 1) * 2 > entries_.size()) rehash(std::max<std::size_t>(1024, entries_.size() * 2));
    for (std::size_t i = key.b & mask_;; i = (i + 1) & mask_) {
      Entry& e = entries_[i];
      if (e.id == kEmpty) {
        e.key = key;
        ++size_;
        return e.id = static_cast<std::uint32_t>(next_id_++);
      }
      if (e.key == key) return e.id;
    }
  }
  // Ids handed out so far, all below this (they go on from here after clear()).
  std::size_t next_id() const { return next_id_; }
  // Forgets every key and frees the table.
  void clear() {
    entries_hint_.store(nullptr, std::memory_order_relaxed);
    mask_hint_.store(0, std::memory_order_relaxed);
    decltype(entries_)().swap(entries_);
    mask_ = 0;
    size_ = 0;
  }
  // Where key's probe starts, readable without the shard's lock (a stale answer after a rehash
  // only wastes a prefetch, which never faults).
  const void* probe_hint(const NgramKey& key) const {
    const Entry* entries = entries_hint_.load(std::memory_order_relaxed);
    return entries ? entries + (key.b & mask_hint_.load(std::memory_order_relaxed)) : nullptr;
  }

 private:
  static constexpr std::uint32_t kEmpty = kNoId;
  struct Entry {
    NgramKey key;
    std::uint32_t id;
  };
  void rehash(std::size_t size) {
    HugeVector<Entry> old(size, Entry{{0, 0}, kEmpty});
    old.swap(entries_);
    mask_ = size - 1;
    entries_hint_.store(entries_.data(), std::memory_order_relaxed);
    mask_hint_.store(mask_, std::memory_order_relaxed);
    for (const Entry& e : old) {
      if (e.id == kEmpty) continue;
      std::size_t i = e.key.b & mask_;
      while (entries_[i].id != kEmpty) i = (i + 1) & mask_;
      entries_[i] = e;
    }
  }
  HugeVector<Entry> entries_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;     // keys in the table
  std::size_t next_id_ = 0;  // ids handed out, over every clear()
  std::atomic<const Entry*> entries_hint_{nullptr};
  std::atomic<std::size_t> mask_hint_{0};
};

}  // namespace

struct NgramIds::Shard {
  std::mutex mutex;
  KeyTable table;
};

NgramIds& NgramIds::global() {
  static NgramIds ids;
  return ids;
}

NgramIds::NgramIds() : shards_(std::make_unique<Shard[]>(std::size_t{1} << kShardBits)) {}
NgramIds::~NgramIds() = default;

void NgramIds::release() {
  for (std::size_t s = 0; s < (std::size_t{1} << kShardBits); ++s) {
    std::lock_guard<std::mutex> lock(shards_[s].mutex);
    shards_[s].table.clear();
  }
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

void NgramIds::intern(std::span<const NgramKey> keys, std::uint32_t* ids) {
  constexpr std::size_t kShards = std::size_t{1} << kShardBits;
  // A small direct-mapped cache per thread answers the frequent n-grams ("no", "of the") without
  // a lock or a miss in the shared tables; ids are never reused, so a cached id stays right.
  constexpr std::size_t kCacheSize = 16384;
  struct Cached {
    NgramKey key;
    std::uint32_t id;
  };
  thread_local std::vector<Cached> cache;
  thread_local const NgramIds* cache_owner = nullptr;
  thread_local std::uint64_t cache_generation = 0;
  if (cache_owner != this || cache_generation != generation()) {  // ids of a released dictionary
    cache.assign(kCacheSize, Cached{{0, 0}, kNoId});
    cache_owner = this;
    cache_generation = generation();
  }
  // The other keys grouped by shard (a counting sort), so each shard's lock is taken once.
  thread_local std::vector<std::uint32_t> missed, order, start, cursor;
  auto shard_of = [](const NgramKey& key) { return static_cast<std::size_t>(key.a >> (64 - kShardBits)); };
  missed.clear();
  start.assign(kShards + 1, 0);
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    const Cached& c = cache[keys[i].b & (kCacheSize - 1)];
    if (c.id != kNoId && c.key == keys[i]) {
      ids[i] = c.id;
    } else {
      missed.push_back(i);
      ++start[shard_of(keys[i]) + 1];
    }
  }
  for (std::size_t s = 0; s < kShards; ++s) start[s + 1] += start[s];
  order.resize(missed.size());
  cursor.assign(start.begin(), start.end() - 1);
  for (std::uint32_t i : missed) order[cursor[shard_of(keys[i])]++] = i;
  // Start every probe's cache miss now, so they overlap instead of queueing one by one.
  for (std::uint32_t i : missed)
    if (const void* hint = shards_[shard_of(keys[i])].table.probe_hint(keys[i])) __builtin_prefetch(hint);

  std::size_t bound = 0;
  auto fill = [&](std::size_t s) {
    Shard& shard = shards_[s];
    for (std::uint32_t k = start[s]; k < start[s + 1]; ++k) {
      const std::uint32_t i = order[k];
      const std::size_t local = shard.table.id(keys[i]);
      if (local >= (std::size_t{1} << (32 - kShardBits)))
        throw Error("more than 2^32 distinct n-grams in one process: score the text tasks in smaller runs");
      ids[i] = static_cast<std::uint32_t>((local << kShardBits) | s);
      cache[keys[i].b & (kCacheSize - 1)] = {keys[i], ids[i]};
    }
    bound = std::max(bound, shard.table.next_id() << kShardBits);
  };
  // A shard another thread holds is passed over and retried later. Locks are held for a few
  // microseconds (a batch of probes), less than sleeping in the kernel and waking costs, so a
  // thread left with only busy shards polls them for a while before it sleeps on one.
  thread_local std::vector<std::uint32_t> pending;
  pending.clear();
  thread_local std::size_t first = 0;
  first += 23;  // odd, so every shard is a starting point in turn
  for (std::size_t t = 0; t < kShards; ++t) {
    const std::size_t s = (first + t) & (kShards - 1);
    if (start[s] != start[s + 1]) pending.push_back(static_cast<std::uint32_t>(s));
  }
  constexpr int kPolls = 2000;  // some 100-200 us
  for (int poll = 0; !pending.empty(); ++poll) {
    std::size_t kept = 0;
    for (std::uint32_t s : pending) {
      std::unique_lock<std::mutex> lock(shards_[s].mutex, std::defer_lock);
      if (poll >= kPolls) {
        lock.lock();
      } else if (!lock.try_lock()) {
        pending[kept++] = s;
        continue;
      }
      fill(s);
    }
    pending.resize(kept);
    if (kept > 0) cpu_relax();
  }
  // Publish the bound: every id of this call is below it.
  std::size_t seen = id_bound_.load(std::memory_order_relaxed);
  while (seen < bound && !id_bound_.compare_exchange_weak(seen, bound, std::memory_order_release)) {
  }
}

}  // namespace imaxbench
