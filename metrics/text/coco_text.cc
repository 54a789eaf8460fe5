#include "metrics/text/coco_text.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "metrics/text/ptb_tokenizer.h"
#include "core/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

// str.split(" "): ROUGE-L's words (an empty string is one empty word).
std::vector<std::string_view> split_on_space(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t begin = 0;;) {
    const std::size_t end = std::min(s.find(' ', begin), s.size());
    out.push_back(s.substr(begin, end - begin));
    if (end == s.size()) return out;
    begin = end + 1;
  }
}

// Two independent 64-bit hashes of a word's bytes.
NgramKey hash_word(std::string_view w) {
  std::uint64_t a = 0x243F6A8885A308D3ull ^ w.size();
  std::uint64_t b = 0x13198A2E03707344ull + w.size();
  std::size_t i = 0;
  for (; i + 8 <= w.size(); i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, w.data() + i, 8);
    a = mix64(a ^ chunk);
    b = mix64(b + std::rotl(chunk, 29) * 0x9E3779B97F4A7C15ull);
  }
  std::uint64_t tail = 0;
  if (i < w.size()) std::memcpy(&tail, w.data() + i, w.size() - i);
  return {mix64(a ^ tail ^ 0xA4093822299F31D0ull), mix64(b + std::rotl(tail, 29) * 0x9E3779B97F4A7C15ull)};
}

// True when str.split() and str.split(" ") agree on `tokens`: printable ASCII words separated by
// single spaces, none at either end (what the tokenizer writes for ordinary text).
bool splits_agree(std::string_view tokens) {
  if (tokens.empty() || tokens.front() == ' ' || tokens.back() == ' ') return false;
  char previous = 0;
  for (char c : tokens) {
    if (c < ' ' || c > '~' || (c == ' ' && previous == ' ')) return false;
    previous = c;
  }
  return true;
}

}  // namespace

bool coco_applies(const Sample& sample) {
  return kTextKinds.contains(sample.kind) && !sample.ref_texts.empty();
}

void coco_caption_of_tokens(std::string_view tokens, CocoCaption& out) {
  out.words.clear();
  out.space_words.clear();
  if (splits_agree(tokens)) {  // one split serves both
    for (std::string_view w : split_on_space(tokens)) out.words.push_back(hash_word(w));
    return;
  }
  for (std::string_view w : py_split(tokens)) out.words.push_back(hash_word(w));
  for (std::string_view w : split_on_space(tokens)) out.space_words.push_back(hash_word(w));
  if (out.space_words == out.words) out.space_words.clear();
}

CocoCaption coco_caption_of_tokens(std::string_view tokens) {
  CocoCaption caption;
  coco_caption_of_tokens(tokens, caption);
  return caption;
}

void coco_caption(std::string_view raw, CocoCaption& out) {
  coco_caption_of_tokens(coco_tokenize(raw), out);
}

void NgramTable::reset(std::size_t capacity) {
  for (std::size_t i : used_) entries_[i].value = -1;
  used_.clear();
  // Sized for the keys expected, up to kSizedFor: `capacity` bounds the distinct keys by the
  // n-grams counted, which for long texts is many times more than there are (46 copies of one
  // long reference asked for a 1.6 GB table, kept by the thread); insert() grows it past that.
  const std::size_t expected = std::min(capacity, kSizedFor);
  const std::size_t size = std::bit_ceil(std::max<std::size_t>(16, expected + expected / 2 + 1));
  if (size > entries_.size()) entries_.assign(size, Entry{{0, 0}, -1});
  // A smaller mask over a larger table keeps probes short and the cleared part small.
  mask_ = size - 1;
  used_.reserve(expected);
}

void NgramTable::grow() {
  std::vector<Entry> kept;
  kept.reserve(used_.size());
  for (std::size_t i : used_) {
    kept.push_back(entries_[i]);
    entries_[i].value = -1;
  }
  used_.clear();
  const std::size_t size = 2 * (mask_ + 1);
  if (size > entries_.size()) entries_.assign(size, Entry{{0, 0}, -1});
  mask_ = size - 1;
  for (const Entry& e : kept) {
    std::size_t i = slot(e.key);
    while (entries_[i].value >= 0) i = (i + 1) & mask_;
    entries_[i] = e;
    used_.push_back(i);
  }
}

int NgramTable::insert(const NgramKey& key, int value) {
  for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
    Entry& e = entries_[i];
    if (e.value < 0) {
      // Load factor at most 2/3.
      if (3 * (used_.size() + 1) > 2 * (mask_ + 1)) {
        grow();
        return insert(key, value);
      }
      e = {key, value};
      used_.push_back(i);
      return value;
    }
    if (e.key == key) return e.value;
  }
}

}  // namespace imaxbench
