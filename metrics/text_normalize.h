// Answer normalization of the official VQAv2 evaluation (vqaEval.py): punctuation handling
// (periods kept inside decimals, commas inside numbers removed), number words to digits, articles
// dropped, contractions restored. Used by VQA accuracy, token F1 and exact match.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

// Lower-cases, then applies processPunctuation and processDigitArticle exactly as vqaEval.py.
std::string vqa_normalize(std::string_view answer);
// vqa_normalize's text and its words, for metrics that compare one answer with several
// references: normalized once. The words are views into `text`, so it is neither copied nor moved.
struct NormalizedAnswer {
  explicit NormalizedAnswer(std::string_view answer);
  NormalizedAnswer(const NormalizedAnswer&) = delete;
  NormalizedAnswer& operator=(const NormalizedAnswer&) = delete;

  std::string text;
  std::vector<std::string_view> words;         // in order
  std::vector<std::string_view> sorted_words;  // the same, sorted: counted against other answers
};

// vqa_normalize, split on whitespace.
std::vector<std::string> vqa_tokens(std::string_view answer);

}  // namespace imaxbench
