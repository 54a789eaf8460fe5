// A process-wide, thread-safe memo from a text key to a value computed from it, for work that
// several metric objects repeat on the same texts (tokenizing a caption for six metrics; the
// statistics bleu_1 .. bleu_4 share). Shards that outgrow their byte budget forget everything
// and start again, so memory stays bounded on any number of texts.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace imaxbench {

template <class Value>
class TextMemo {
 public:
  // The value for key, computed by compute(key) on a miss; bytes(value) estimates its size.
  template <class Compute, class Bytes>
  Value get(std::string_view key, Compute&& compute, Bytes&& bytes) {
    const std::size_t hash = std::hash<std::string_view>{}(key);
    Shard& shard = shards_[(hash >> 7) % kShards];  // other bits than the map's buckets
    {
      std::lock_guard<std::mutex> lock(shard.mutex);
      auto it = shard.map.find(key);
      if (it != shard.map.end()) return it->second;
    }
    Value value = compute(key);
    const std::size_t size = key.size() + bytes(value) + kEntryOverhead;
    std::lock_guard<std::mutex> lock(shard.mutex);
    shard.bytes += size;
    if (shard.bytes > kShardBudget) {
      shard.map.clear();
      shard.bytes = size;
    }
    shard.map.emplace(std::string(key), value);
    return value;
  }

 private:
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kShardBudget = std::size_t{2} << 20;  // 128 MiB per memo
  static constexpr std::size_t kEntryOverhead = 96;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Value, Hash, std::equal_to<>> map;
    std::size_t bytes = 0;
  };
  std::array<Shard, kShards> shards_;
};

}  // namespace imaxbench
