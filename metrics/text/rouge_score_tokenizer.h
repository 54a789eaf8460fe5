// rouge-score 0.1.2's DefaultTokenizer (tokenize.py): str.lower(), every run of characters other
// than [a-z0-9] becomes a separator, tokens longer than 3 characters are Porter-stemmed when
// asked (nltk's PorterStemmer, see porter_stemmer.h), and only [a-z0-9]+ tokens are kept. The
// lower-casing is Python's full one, so U+0130 and the Kelvin sign U+212A still yield "i" and "k".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imaxbench {

std::vector<std::string> rouge_score_tokens(std::string_view text, bool use_stemmer);

// The same tokens as small integer ids: equal tokens equal ids within one sample, numbered 0, 1,
// ... in order of first sight since begin_sample(). Each distinct surface word is hashed into a
// flat table and stemmed once for the life of the object. Not thread-safe: one per thread.
class RougeVocabulary {
 public:
  explicit RougeVocabulary(bool use_stemmer) : use_stemmer_(use_stemmer) {}
  // Starts a sample's id numbering; forgets every word once there are more than `max_words`.
  void begin_sample(std::size_t max_words = std::size_t{1} << 18);
  // Replaces `out` with the ids of rouge_score_tokens(text, use_stemmer).
  void token_ids(std::string_view text, std::vector<std::uint32_t>& out);
  // How many distinct ids this sample has used (every id is below it).
  std::uint32_t sample_size() const { return next_local_; }

 private:
  struct Slot {  // a surface word (lower-cased, as split) in arena_; size 0: empty slot
    std::uint64_t hash = 0;
    std::uint32_t offset = 0, size = 0, token = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const;
  };
  std::uint32_t token_of(std::string_view word);  // index into tokens_, or kDropped
  // Appends the id of the word of n bytes at p, each [A-Za-z0-9] (lower-cased here); bytes up to
  // `end` may be read past it.
  void add_word(const char* p, std::size_t n, const char* end, std::vector<std::uint32_t>& out);
  void grow();

  bool use_stemmer_;
  std::vector<Slot> table_;  // open addressing, power-of-two size
  std::string arena_;  // lower-cased words, each zero-padded to a multiple of 8 bytes
  std::size_t words_ = 0;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> tokens_;  // final token
  struct TokenUse {  // the sample-local id of a token, valid when stamp is stamp_
    std::uint32_t stamp = 0, local = 0;
  };
  std::vector<TokenUse> token_use_;
  std::uint32_t stamp_ = 0, next_local_ = 0;
  std::string current_;  // a word that has non-ASCII characters, lower-cased
};

}  // namespace imaxbench
