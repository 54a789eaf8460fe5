#include "metrics/text/rouge_score_tokenizer.h"

#include <array>
#include <limits>

#include "metrics/text/porter_stemmer.h"
#include "metrics/text/sacrebleu_ngrams.h"
#include "metrics/text/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

constexpr std::uint32_t kDropped = std::numeric_limits<std::uint32_t>::max();

bool is_token_char(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// ASCII byte -> its lower-case form when that is [a-z0-9], else 0 (a separator).
constexpr std::array<char, 128> kAsciiToken = [] {
  std::array<char, 128> t{};
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

// Splits `text` into surface words exactly as tokenize.py does before stemming; calls
// on_word(std::string&) for each.
template <class OnWord>
void surface_words(std::string_view text, OnWord on_word) {
  std::string current;
  std::u32string lowered;
  auto flush = [&] {
    if (!current.empty()) on_word(current);
    current.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      if (const char c = kAsciiToken[b]) current.push_back(c);
      else flush();
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
  surface_words(text, [&](std::string& word) {
    std::string token = final_token(word, use_stemmer);
    if (!token.empty()) tokens.push_back(std::move(token));
  });
  return tokens;
}

std::size_t RougeVocabulary::Hash::operator()(std::string_view s) const { return word_hash(s); }

void RougeVocabulary::flush(std::string& word, std::vector<std::uint32_t>& out) {
  auto it = surface_.find(word);
  if (it == surface_.end()) {
    const std::string token = final_token(word, use_stemmer_);
    std::uint32_t id = kDropped;
    if (!token.empty())
      id = tokens_.try_emplace(token, static_cast<std::uint32_t>(tokens_.size())).first->second;
    it = surface_.emplace(word, id).first;
  }
  if (it->second != kDropped) out.push_back(it->second);
}

void RougeVocabulary::token_ids(std::string_view text, std::vector<std::uint32_t>& out) {
  out.clear();
  surface_words(text, [&](std::string& word) { flush(word, out); });
}

void RougeVocabulary::reset_if_large(std::size_t max_words) {
  if (surface_.size() <= max_words) return;
  surface_.clear();
  tokens_.clear();
}

}  // namespace imaxbench
