// Added tokens of a Hugging Face tokenizer ("<|im_end|>", "<image>"): found in the text before
// pre-tokenization, as tokenizers' AddedVocabulary does: leftmost-longest matches, lstrip/rstrip
// taking the whitespace beside a match with it, and two passes, the tokens marked
// normalized=false on the raw text and those marked normalized=true on each normalized stretch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imaxbench {

struct AddedToken {
  std::string content;
  std::int32_t id = -1;
  bool special = false;
  bool normalized = false;
  bool lstrip = false;
  bool rstrip = false;
};

// A stretch of text: either an added token (id >= 0) or plain text to tokenize (id == -1).
struct TextSegment {
  std::string_view text;
  std::int32_t id = -1;
};

class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  // tokens: the tokens of one pass; contents as they are matched (normalized ones normalized).
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);

  bool empty() const { return tokens_.empty(); }
  // Splits text into added tokens and the plain stretches between them (none empty).
  void split(std::string_view text, std::vector<TextSegment>& out) const;

 private:
  std::vector<AddedToken> tokens_;
  // Indices into tokens_ by first byte, longest content first (leftmost-longest).
  std::vector<std::vector<std::size_t>> by_first_byte_;
};

}  // namespace imaxbench
