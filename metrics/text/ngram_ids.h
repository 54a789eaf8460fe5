// A process-wide dictionary from n-gram keys to dense integer ids, filled while samples are built
// (in parallel), so CIDEr-D's document frequencies over any subset are an array indexed by id.
// Interning at build time spreads the dictionary's cache misses over the threads that build the
// samples; a single pass over every sample's n-grams at scoring time (7 M keys for 20,000
// reports) would be serial and memory bound.
//
// The dictionary keeps every distinct n-gram of the corpus being built (48 to 96 bytes each, as
// its tables fill and double: about 50 MB for the 690,000 of 20,000 reports) until release(); ids
// are never reused, so a sample's ids stay valid for its lifetime.
// Which id a key gets depends on thread timing; nothing computed from them does.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>

#include "metrics/text/coco_text.h"

namespace imaxbench {

class NgramIds {
 public:
  static NgramIds& global();

  NgramIds();
  ~NgramIds();
  // ids[i] = the id of keys[i], adding new keys. Thread-safe.
  void intern(std::span<const NgramKey> keys, std::uint32_t* ids);
  // Every id handed out so far is below this.
  std::size_t id_bound() const { return id_bound_.load(std::memory_order_acquire); }

  // Frees the dictionary once the samples of one corpus are built (harness/evaluate.cc, after a
  // task's rows): at 100,000 reports it holds some 200 MB that scoring and resampling, which read
  // ids only, never touch. Ids stay unique: keys interned later get new, higher ids, even keys
  // seen before, so a later corpus's ids never meet an earlier one's. Not concurrent with intern().
  void release();
  // Counts release() calls: what a cached id (coco_sample()'s last sample) was interned under.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  struct Shard;
  static constexpr std::size_t kShardBits = 4;  // 16 shards, each with its own lock and table
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> id_bound_{0};
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace imaxbench
