#include "metrics/text/coco_text.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "metrics/mean_metric.h"
#include "metrics/text/ptb_tokenizer.h"
#include "metrics/text/text_memo.h"

namespace imaxbench {

namespace {

std::uint64_t mix(std::uint64_t z) { return mix64(z); }

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

std::size_t slot(const NgramKey& key, std::size_t mask) {
  return mix(key.a ^ (key.b * 0x9E3779B97F4A7C15ull)) & mask;
}

}  // namespace

bool coco_applies(const Sample& sample) { return !sample.ref_texts.empty(); }

std::string coco_tokenize_memo(std::string_view caption) {
  static TextMemo<std::string> memo;
  return memo.get(
      caption, [](std::string_view text) { return coco_tokenize(text); },
      [](const std::string& tokens) { return tokens.size(); });
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

NgramTable::NgramTable(std::size_t capacity) {
  // Load factor at most 2/3.
  const std::size_t size = std::bit_ceil(std::max<std::size_t>(16, capacity + capacity / 2 + 1));
  keys_ = std::make_unique_for_overwrite<NgramKey[]>(size);
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

std::vector<NgramKey> hash_words(const std::vector<std::string_view>& words) {
  std::vector<NgramKey> keys;
  keys.reserve(words.size());
  for (std::string_view w : words) keys.push_back(hash_word(w));
  return keys;
}

}  // namespace imaxbench
