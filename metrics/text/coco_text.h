// What the pycocoevalcap-flavoured metrics (coco_bleu, coco_rouge, coco_cider) share: the texts of
// one sample after pycocoevalcap's PTBTokenizer, the two ways pycocoevalcap splits them into
// words, and n-grams as hashed keys counted in pycocoevalcap's order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/sample.h"

namespace imaxbench {

// One sample's texts after coco_tokenize(). A missing, failed or unparsed prediction is the empty
// hypothesis, as pycocoevalcap scores an empty caption. Tokenized captions are memoized process
// wide (bounded, thread-safe), so the six metrics of one report set tokenize each caption once.
struct CocoTexts {
  std::string hyp;
  std::vector<std::string> refs;
};

// False when the sample has no reference text (the metric does not apply to it).
bool coco_applies(const Sample& sample);
CocoTexts coco_texts(const Sample& sample, const Prediction& prediction);
// coco_tokenize() through the memo.
std::string coco_tokenize_memo(std::string_view caption);

// str.split(" "): ROUGE-L's words (an empty string is one empty word).
std::vector<std::string_view> split_on_space(std::string_view s);

// An n-gram (n <= 4) as a 128-bit hash of its words; distinct n-grams collide with probability
// about 2^-128 per pair.
struct NgramKey {
  std::uint64_t a, b;  // no initializers: tables leave unused slots untouched
  bool operator==(const NgramKey&) const = default;
};

// The 128-bit hash of each word.
std::vector<NgramKey> hash_words(const std::vector<std::string_view>& words);

inline std::uint64_t mix64(std::uint64_t z) {  // splitmix64's finalizer
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Calls visit(n, key) for every n-gram of orders 1..max_n of `words`, in the order
// pycocoevalcap's precook() meets them (by order, then position). The key of the n-gram at word
// i extends the key of the (n-1)-gram there by one word.
template <class Visit>
void for_each_ngram(const std::vector<std::string_view>& words, int max_n, Visit&& visit) {
  const std::vector<NgramKey> word_keys = hash_words(words);
  std::vector<NgramKey> chain(words.size(), NgramKey{0x452821E638D01377ull, 0xBE5466CF34E90C6Cull});
  for (int n = 1; n <= max_n; ++n)
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
      NgramKey& key = chain[i];
      key.a = mix64(key.a ^ word_keys[i + n - 1].a);
      key.b = mix64(key.b + word_keys[i + n - 1].b);
      visit(n, key);
    }
}

// Open-addressing map from NgramKey (hashed or packed word ids) to a small value, for the few
// hundred n-grams of a sentence.
class NgramTable {
 public:
  // At most `capacity` keys will be inserted.
  explicit NgramTable(std::size_t capacity);
  // The value stored for key, or -1.
  int find(const NgramKey& key) const;
  // Stores value unless key is present; returns the stored value.
  int insert(const NgramKey& key, int value);

 private:
  std::unique_ptr<NgramKey[]> keys_;  // left uninitialized: a slot is read only once filled
  std::vector<int> values_;           // -1: empty slot
  std::size_t mask_;
};

}  // namespace imaxbench
