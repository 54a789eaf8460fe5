// What the pycocoevalcap-flavoured metrics (coco_bleu, coco_rouge, coco_cider) share: the texts of
// one sample after pycocoevalcap's PTBTokenizer, the two ways pycocoevalcap splits them into
// words, and n-grams as hashed keys counted in pycocoevalcap's order.
#pragma once

#include <cstdint>
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
  std::uint64_t a = 0, b = 0;
  bool operator==(const NgramKey&) const = default;
};

struct NgramCount {
  NgramKey key;
  int n = 0;      // order, 1..4
  int count = 0;  // occurrences in the sentence
};

// Distinct n-grams of orders 1..max_n of `words` in the order pycocoevalcap's precook() first
// meets them (by order, then position), with their counts.
std::vector<NgramCount> count_ngrams(const std::vector<std::string_view>& words, int max_n);

// Open-addressing map from NgramKey to a small value, for the few hundred n-grams of a sentence.
class NgramTable {
 public:
  explicit NgramTable(std::size_t expected);
  // The value stored for key, or -1.
  int find(const NgramKey& key) const;
  // Stores value unless key is present; returns the stored value.
  int insert(const NgramKey& key, int value);

 private:
  std::vector<NgramKey> keys_;
  std::vector<int> values_;  // -1: empty slot
  std::size_t mask_;
};

}  // namespace imaxbench
