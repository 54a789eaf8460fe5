// Answer normalization of the official VQAv2 evaluation (vqaEval.py): punctuation handling
// (periods kept inside decimals, commas inside numbers removed), number words to digits, articles
// dropped, contractions restored. Used by VQA accuracy, token F1 and exact match.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

// Lower-cases, then applies processPunctuation and processDigitArticle exactly as vqaEval.py.
std::string vqa_normalize(std::string_view answer);
// A distinct word of an answer and how often it occurs. Ordered by its first 8 bytes as a
// number, then by the whole word: one integer comparison tells nearly all words apart, where
// comparing the strings cost a call to memcmp each (11% of a token_f1 score).
struct CountedWord {
  std::uint64_t prefix;  // prefix_of(word)
  std::string_view word;
  int n;
  static std::uint64_t prefix_of(std::string_view word);  // its first 8 bytes, big-endian, 0-padded
  bool operator<(const CountedWord& o) const { return prefix != o.prefix ? prefix < o.prefix : word < o.word; }
};

// vqa_normalize's text and its words, for metrics that compare one answer with several
// references: normalized and counted once. The words are views into `text`, so it is neither
// copied nor moved.
struct NormalizedAnswer {
  explicit NormalizedAnswer(std::string_view answer);
  NormalizedAnswer(const NormalizedAnswer&) = delete;
  NormalizedAnswer& operator=(const NormalizedAnswer&) = delete;

  std::string text;
  std::vector<std::string_view> words;  // in order
  std::vector<CountedWord> counted;     // the distinct words, in CountedWord's order
};

// vqa_normalize, split on whitespace.
std::vector<std::string> vqa_tokens(std::string_view answer);

}  // namespace imaxbench
