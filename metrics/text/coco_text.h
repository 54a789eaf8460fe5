// What the pycocoevalcap-flavoured metrics (coco_bleu, coco_rouge, coco_cider) share: a caption
// after pycocoevalcap's PTBTokenizer with its words hashed the two ways pycocoevalcap splits them,
// n-grams as hashed keys counted in pycocoevalcap's order, and a small hash table for them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/sample.h"

namespace imaxbench {

// False when the sample is not a text answer or has no reference text (the metric does not
// apply to it).
bool coco_applies(const Sample& sample);

// A 128-bit hash of a word or an n-gram (n <= 4); distinct ones collide with probability about
// 2^-128 per pair, so equal keys stand for equal words.
struct NgramKey {
  std::uint64_t a, b;  // no initializers: tables leave unused slots untouched
  bool operator==(const NgramKey&) const = default;
};

// One caption after coco_tokenize(), as word hashes: `words` from str.split() (BLEU's and CIDEr's
// precook()), and from str.split(" ") (ROUGE-L) where that differs, which happens for the empty
// caption ([""] against []) and for tokens the jar joins with U+00A0 ("3 1/2").
struct CocoCaption {
  std::vector<NgramKey> words;
  std::vector<NgramKey> space_words;  // empty when equal to words
  std::span<const NgramKey> rouge_words() const {
    return space_words.empty() ? std::span<const NgramKey>(words) : std::span<const NgramKey>(space_words);
  }
};

// The caption of already tokenized text, into `out` (its vectors are reused).
void coco_caption_of_tokens(std::string_view tokens, CocoCaption& out);
CocoCaption coco_caption_of_tokens(std::string_view tokens);
// coco_tokenize(raw) as a caption, into `out`. Not memoized: the tokenizer runs at ~100 MB/s, so a
// process-wide table of captions cost more to look up than tokenizing again.
void coco_caption(std::string_view raw, CocoCaption& out);

inline std::uint64_t mix64(std::uint64_t z) {  // splitmix64's finalizer
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Calls visit(n, key) for every n-gram of orders 1..max_n of `words`, in the order
// pycocoevalcap's precook() meets them (by order, then position). The key of the n-gram at word
// i extends the key of the (n-1)-gram there by one word; `chain` is scratch space.
template <class Visit>
void for_each_ngram(std::span<const NgramKey> words, int max_n, std::vector<NgramKey>& chain,
                    Visit&& visit) {
  chain.assign(words.size(), NgramKey{0x452821E638D01377ull, 0xBE5466CF34E90C6Cull});
  for (int n = 1; n <= max_n; ++n)
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
      NgramKey& key = chain[i];
      key.a = mix64(key.a ^ words[i + n - 1].a);
      key.b = mix64(key.b + words[i + n - 1].b);
      visit(n, key);
    }
}

// Open-addressing map from NgramKey to a small value, for the few hundred n-grams of a sample.
// Reusable: reset() empties it in time proportional to what was inserted, so one table per
// thread serves every sample without reallocating.
class NgramTable {
 public:
  // Empties the table, which will hold at most `capacity` keys (an upper bound; it grows as
  // keys come past kSizedFor).
  void reset(std::size_t capacity);
  // Stores value unless key is present; returns the stored value.
  int insert(const NgramKey& key, int value);

 private:
  static constexpr std::size_t kSizedFor = std::size_t{1} << 16;
  void grow();
  struct Entry {
    NgramKey key;
    int value;  // -1: empty
  };
  // Keys are well-mixed hashes already: their low bits pick the slot.
  std::size_t slot(const NgramKey& key) const { return key.a & mask_; }
  std::vector<Entry> entries_;     // key and value side by side: one cache line per probe
  std::vector<std::size_t> used_;  // filled slots, for reset()
  std::size_t mask_ = 0;
};

}  // namespace imaxbench
