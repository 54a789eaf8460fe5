#include "metrics/text/rouge_score_tokenizer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "metrics/text/porter_stemmer.h"
#include "metrics/text/sacrebleu_ngrams.h"
#include "core/sacrebleu_unicode.h"
#include "metrics/text/stamped_slots.h"

namespace imaxbench {

namespace {

constexpr std::uint32_t kDropped = std::numeric_limits<std::uint32_t>::max();

bool is_token_char(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Byte -> its lower-case form when that is [a-z0-9], else 0: a separator below 0x80, and from
// 0x80 on the start or continuation of a code point (handled as such).
constexpr std::array<char, 256> kAsciiToken = [] {
  std::array<char, 256> t{};
  for (char c = 'a'; c <= 'z'; ++c) t[c] = c;
  for (char c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c + 32);
  for (char c = '0'; c <= '9'; ++c) t[c] = c;
  return t;
}();

// The final token of one surface word: stemmed when asked and longer than 3 characters; empty
// when the stem is not [a-z0-9]+ (tokenize.py's last filter).
std::string final_token(const std::string& word, bool use_stemmer) {
  if (!use_stemmer || word.size() <= 3) return word;
  std::string stem = porter_stem(word);
  for (char c : stem)
    if (!is_token_char(static_cast<unsigned char>(c))) return {};
  return stem;
}

// Splits `text` into surface words exactly as tokenize.py does before stemming. A word of ASCII
// token characters only reaches on_ascii(p, n) as it stands in the text (not yet lower-cased), so
// a caller can read it in place; any other word reaches on_word(std::string&), lower-cased into
// `current` (scratch space the caller may reuse).
template <class OnAscii, class OnWord>
void split_surface_words(std::string_view text, std::string& current, OnAscii on_ascii, OnWord on_word) {
  std::u32string lowered;
  current.clear();
  auto flush = [&] {
    if (!current.empty()) on_word(current);
    current.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    // A run of ASCII token characters.
    std::size_t j = i;
    while (j < text.size() && kAsciiToken[static_cast<unsigned char>(text[j])] != 0) ++j;
    const bool non_ascii_next = j < text.size() && static_cast<unsigned char>(text[j]) >= 0x80;
    if (j > i) {
      if (current.empty() && !non_ascii_next) {
        on_ascii(text.data() + i, j - i);  // the whole word
      } else {  // part of a word that has non-ASCII characters
        for (std::size_t k = i; k < j; ++k) current.push_back(kAsciiToken[static_cast<unsigned char>(text[k])]);
      }
      i = j;
    }
    if (i == text.size()) break;
    if (!non_ascii_next) {  // an ASCII separator
      ++i;
      flush();
      continue;
    }
    // Outside ASCII only the lower-case form matters; Final_Sigma yields a Greek letter either way.
    lowered.clear();
    py_lower_cp(utf8_next(text, i), lowered);
    for (char32_t c : lowered) {
      if (is_token_char(c)) current.push_back(static_cast<char>(c));
      else flush();
    }
  }
  flush();
}

}  // namespace

std::vector<std::string> rouge_score_tokens(std::string_view text, bool use_stemmer) {
  std::vector<std::string> tokens;
  std::string current, ascii;
  auto add = [&](std::string& word) {
    std::string token = final_token(word, use_stemmer);
    if (!token.empty()) tokens.push_back(std::move(token));
  };
  split_surface_words(
      text, current,
      [&](const char* p, std::size_t n) {
        ascii.clear();
        for (std::size_t k = 0; k < n; ++k) ascii.push_back(kAsciiToken[static_cast<unsigned char>(p[k])]);
        add(ascii);
      },
      add);
  return tokens;
}

std::size_t RougeVocabulary::Hash::operator()(std::string_view s) const { return word_hash(s); }

void RougeVocabulary::begin_sample(std::size_t max_words) {
  if (words_ > max_words) {
    table_.clear();
    arena_.clear();
    words_ = 0;
    tokens_.clear();
    token_use_.clear();
  }
  next_local_ = 0;
  next_stamp(stamp_, token_use_);
}

std::uint32_t RougeVocabulary::token_of(std::string_view word) {
  const std::string token = final_token(std::string(word), use_stemmer_);
  if (token.empty()) return kDropped;
  const auto [it, added] = tokens_.try_emplace(token, static_cast<std::uint32_t>(tokens_.size()));
  if (added) token_use_.emplace_back();
  return it->second;
}

void RougeVocabulary::grow() {
  std::vector<Slot> old(std::max<std::size_t>(table_.size() * 2, 1024));
  old.swap(table_);
  const std::size_t mask = table_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.size == 0) continue;
    std::size_t i = slot.hash & mask;
    while (table_[i].size != 0) i = (i + 1) & mask;
    table_[i] = slot;
  }
}

namespace {

constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
// OR-ing 0x20 lower-cases an ASCII letter and leaves a digit as it is: a word's lower-case form
// is computed 8 bytes at a time, with no copy.
constexpr std::uint64_t kLower = 0x2020202020202020ull;

// Bytes [k, k + 8) of the word at p of n bytes, lower-cased, zero past its end.
std::uint64_t chunk(const char* p, std::size_t n, std::size_t k, const char* end) {
  std::uint64_t w = 0;
  const std::size_t left = n - k;
  if (left >= 8 || static_cast<std::size_t>(end - (p + k)) >= 8) std::memcpy(&w, p + k, 8);
  else std::memcpy(&w, p + k, left);
  if (left < 8) w &= (std::uint64_t{1} << (8 * left)) - 1;
  return w | (kLower & (left < 8 ? (std::uint64_t{1} << (8 * left)) - 1 : ~std::uint64_t{0}));
}

}  // namespace

void RougeVocabulary::add_word(const char* p, std::size_t n, const char* end,
                               std::vector<std::uint32_t>& out) {
  std::uint64_t hash = n * kMul;
  for (std::size_t k = 0; k < n; k += 8) {
    hash = (hash ^ chunk(p, n, k, end)) * kMul;
    hash ^= hash >> 29;
  }
  if ((words_ + 1) * 2 > table_.size()) grow();
  const std::size_t mask = table_.size() - 1;
  std::size_t i = hash & mask;
  for (; table_[i].size != 0; i = (i + 1) & mask) {
    const Slot& slot = table_[i];
    if (slot.hash != hash || slot.size != n) continue;
    bool same = true;
    for (std::size_t k = 0; k < n && same; k += 8) {
      std::uint64_t stored;
      std::memcpy(&stored, arena_.data() + slot.offset + k, 8);
      same = stored == chunk(p, n, k, end);
    }
    if (same) break;
  }
  if (table_[i].size == 0) {
    const auto offset = static_cast<std::uint32_t>(arena_.size());
    for (std::size_t k = 0; k < n; k += 8) {
      const std::uint64_t w = chunk(p, n, k, end);
      arena_.append(reinterpret_cast<const char*>(&w), 8);
    }
    const std::string_view word(arena_.data() + offset, n);
    table_[i] = {hash, offset, static_cast<std::uint32_t>(n), token_of(word)};
    ++words_;
  }
  const std::uint32_t token = table_[i].token;
  if (token == kDropped) return;
  TokenUse& use = token_use_[token];
  if (use.stamp != stamp_) use = {stamp_, next_local_++};
  out.push_back(use.local);
}

void RougeVocabulary::token_ids(std::string_view text, std::vector<std::uint32_t>& out) {
  out.clear();
  const char* const end = text.data() + text.size();
  split_surface_words(
      text, current_, [&](const char* p, std::size_t n) { add_word(p, n, end, out); },
      [&](std::string& word) { add_word(word.data(), word.size(), word.data() + word.size(), out); });
}

}  // namespace imaxbench
