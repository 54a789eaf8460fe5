// A key -> value map bounded by bytes, least recently used out: the device-side caches of the
// torchscript backend (image features, prompt-prefix KV caches) hold tensors this way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <utility>

namespace imaxbench {

template <typename Value>
class ByteLru {
 public:
  explicit ByteLru(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  bool enabled() const { return max_bytes_ > 0; }

  // The value for `key`, now the most recently used; nullptr when absent. Valid until the next insert.
  const Value* find(std::uint64_t key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    recent_.splice(recent_.begin(), recent_, it->second.recent);
    return &it->second.value;
  }

  // Keeps `value` (of `bytes`) unless it alone is larger than the bound; evicts the least recently
  // used entries until the rest fit.
  void insert(std::uint64_t key, Value value, std::size_t bytes) {
    if (bytes > max_bytes_ || entries_.count(key)) return;
    recent_.push_front(key);
    entries_.emplace(key, Entry{std::move(value), bytes, recent_.begin()});
    bytes_ += bytes;
    while (bytes_ > max_bytes_) {
      const auto victim = entries_.find(recent_.back());
      bytes_ -= victim->second.bytes;
      entries_.erase(victim);
      recent_.pop_back();
    }
  }

 private:
  struct Entry {
    Value value;
    std::size_t bytes;
    std::list<std::uint64_t>::iterator recent;
  };
  std::size_t max_bytes_, bytes_ = 0;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::list<std::uint64_t> recent_;  // most recently used first
};

}  // namespace imaxbench
