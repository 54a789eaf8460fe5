// Which samples a run evaluates: the first --limit of each task, then the --shard K/N slice. A
// sample's shard comes from a hash of its id alone, so shards stay stable when a suite grows and
// the union of all N shards is exactly the unsharded selection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/score_suite.h"

namespace imaxbench {

struct ShardSpec {
  int k = 1;  // 1-based
  int n = 1;
  std::string str() const { return std::to_string(k) + "/" + std::to_string(n); }
};

// "K/N" with 1 <= K <= N; throws UsageError otherwise.
ShardSpec parse_shard(std::string_view text);

// FNV-1a, 64-bit: tiny, portable and stable, unlike std::hash.
std::uint64_t fnv1a64(std::string_view text);

// Shard K of N holds the ids whose fnv1a64 % N == K - 1.
bool in_shard(std::string_view id, const ShardSpec& shard);

// Keeps the first `limit` samples of each task (0: all), then those in `shard`, in split order.
void select_samples(LoadedSuite& loaded, std::size_t limit, const ShardSpec& shard);

}  // namespace imaxbench
