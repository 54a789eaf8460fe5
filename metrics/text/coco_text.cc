#include "metrics/text/coco_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "metrics/mean_metric.h"
#include "metrics/text/ptb_tokenizer.h"

namespace imaxbench {

namespace {

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Two independent 64-bit hashes of a word's bytes.
NgramKey hash_word(std::string_view w) {
  std::uint64_t a = 0x243F6A8885A308D3ull ^ w.size();
  std::uint64_t b = 0x13198A2E03707344ull + w.size();
  std::size_t i = 0;
  for (; i + 8 <= w.size(); i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, w.data() + i, 8);
    a = mix(a ^ chunk);
    b = mix(b + std::rotl(chunk, 29) * 0x9E3779B97F4A7C15ull);
  }
  std::uint64_t tail = 0;
  if (i < w.size()) std::memcpy(&tail, w.data() + i, w.size() - i);
  return {mix(a ^ tail ^ 0xA4093822299F31D0ull), mix(b + std::rotl(tail, 29) * 0x9E3779B97F4A7C15ull)};
}

std::size_t slot(const NgramKey& key, std::size_t mask) { return key.a & mask; }

// Captions already tokenized, in shards that each forget everything past their byte budget.
class TokenMemo {
 public:
  std::string get(std::string_view caption) {
    Shard& shard = shards_[std::hash<std::string_view>{}(caption) % kShards];
    {
      std::lock_guard<std::mutex> lock(shard.mutex);
      auto it = shard.map.find(caption);
      if (it != shard.map.end()) return it->second;
    }
    std::string tokens = coco_tokenize(caption);
    std::lock_guard<std::mutex> lock(shard.mutex);
    shard.bytes += caption.size() + tokens.size() + kEntryOverhead;
    if (shard.bytes > kShardBudget) {
      shard.map.clear();
      shard.bytes = caption.size() + tokens.size() + kEntryOverhead;
    }
    shard.map.emplace(std::string(caption), tokens);
    return tokens;
  }

 private:
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kShardBudget = std::size_t{4} << 20;  // 256 MiB in all
  static constexpr std::size_t kEntryOverhead = 96;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, std::string, Hash, std::equal_to<>> map;
    std::size_t bytes = 0;
  };
  std::array<Shard, kShards> shards_;
};

}  // namespace

bool coco_applies(const Sample& sample) { return !sample.ref_texts.empty(); }

std::string coco_tokenize_memo(std::string_view caption) {
  static TokenMemo memo;
  return memo.get(caption);
}

CocoTexts coco_texts(const Sample& sample, const Prediction& prediction) {
  CocoTexts t;
  t.hyp = is_scored(prediction) ? coco_tokenize_memo(prediction.text) : std::string();
  t.refs.reserve(sample.ref_texts.size());
  for (const std::string& ref : sample.ref_texts) t.refs.push_back(coco_tokenize_memo(ref));
  return t;
}

std::vector<std::string_view> split_on_space(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t begin = 0;;) {
    const std::size_t end = std::min(s.find(' ', begin), s.size());
    out.push_back(s.substr(begin, end - begin));
    if (end == s.size()) return out;
    begin = end + 1;
  }
}

NgramTable::NgramTable(std::size_t expected) {
  const std::size_t size = std::bit_ceil(std::max<std::size_t>(16, expected * 2));
  keys_.resize(size);
  values_.assign(size, -1);
  mask_ = size - 1;
}

int NgramTable::find(const NgramKey& key) const {
  for (std::size_t i = slot(key, mask_);; i = (i + 1) & mask_) {
    if (values_[i] < 0) return -1;
    if (keys_[i] == key) return values_[i];
  }
}

int NgramTable::insert(const NgramKey& key, int value) {
  for (std::size_t i = slot(key, mask_);; i = (i + 1) & mask_) {
    if (values_[i] < 0) {
      keys_[i] = key;
      values_[i] = value;
      return value;
    }
    if (keys_[i] == key) return values_[i];
  }
}

std::vector<NgramCount> count_ngrams(const std::vector<std::string_view>& words, int max_n) {
  std::vector<NgramKey> word_keys;
  word_keys.reserve(words.size());
  for (std::string_view w : words) word_keys.push_back(hash_word(w));
  std::vector<NgramCount> out;
  NgramTable index(words.size() * static_cast<std::size_t>(max_n));
  for (int n = 1; n <= max_n; ++n) {
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
      NgramKey key{0x452821E638D01377ull * n, 0xBE5466CF34E90C6Cull * n};
      for (int k = 0; k < n; ++k) {
        key.a = mix(key.a ^ word_keys[i + k].a);
        key.b = mix(key.b + word_keys[i + k].b);
      }
      const int at = index.insert(key, static_cast<int>(out.size()));
      if (at == static_cast<int>(out.size())) out.push_back({key, n, 0});
      ++out[at].count;
    }
  }
  return out;
}

}  // namespace imaxbench
