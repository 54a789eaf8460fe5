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

// The same tokens as integer ids, equal tokens equal ids for the life of the object, so a metric
// hashes each surface word once (and stems it once). Not thread-safe: one per thread.
class RougeVocabulary {
 public:
  explicit RougeVocabulary(bool use_stemmer) : use_stemmer_(use_stemmer) {}
  // Replaces `out` with the ids of rouge_score_tokens(text, use_stemmer).
  void token_ids(std::string_view text, std::vector<std::uint32_t>& out);
  // Forgets every word once there are more than `max_words` (call between samples only).
  void reset_if_large(std::size_t max_words = std::size_t{1} << 18);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const;
  };
  using Map = std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>>;
  void flush(std::string& word, std::vector<std::uint32_t>& out);

  bool use_stemmer_;
  Map surface_;  // word as written (lower-cased) -> id of its final token, or kDropped
  Map tokens_;   // final token -> id
};

}  // namespace imaxbench
