#include "tokenizers/added_tokens.h"

#include <algorithm>

#include "core/sacrebleu_unicode.h"
#include "tokenizers/unicode_tables.h"

namespace imaxbench {

namespace {

// Byte offset where the whitespace that ends text[0, end) begins (Rust's char::is_whitespace).
std::size_t trailing_space_start(std::string_view text, std::size_t end) {
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    std::size_t i = start;
    if (!is_unicode_white_space(utf8_next(text, i))) break;
    end = start;
  }
  return end;
}

// Byte offset where the whitespace that starts text[begin, ...) ends.
std::size_t leading_space_end(std::string_view text, std::size_t begin) {
  while (begin < text.size()) {
    std::size_t i = begin;
    if (!is_unicode_white_space(utf8_next(text, i))) break;
    begin = i;
  }
  return begin;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens)
    : tokens_(std::move(tokens)), by_first_byte_(256) {
  for (std::size_t k = 0; k < tokens_.size(); ++k)
    if (!tokens_[k].content.empty())
      by_first_byte_[static_cast<unsigned char>(tokens_[k].content[0])].push_back(k);
  for (auto& list : by_first_byte_)
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
      return tokens_[a].content.size() > tokens_[b].content.size();
    });
}

void AddedTokenMatcher::split(std::string_view text, std::vector<TextSegment>& out) const {
  std::size_t done = 0;  // end of the last token taken
  for (std::size_t pos = 0; pos < text.size();) {
    const AddedToken* hit = nullptr;
    for (std::size_t k : by_first_byte_[static_cast<unsigned char>(text[pos])]) {
      if (text.substr(pos).starts_with(tokens_[k].content)) {
        hit = &tokens_[k];
        break;
      }
    }
    if (hit == nullptr) {
      ++pos;
      continue;
    }
    std::size_t start = pos, stop = pos + hit->content.size();
    if (hit->lstrip) start = std::max(trailing_space_start(text, start), done);
    if (hit->rstrip) stop = leading_space_end(text, stop);
    if (done < start) out.push_back(TextSegment{text.substr(done, start - done), -1});
    out.push_back(TextSegment{text.substr(start, stop - start), hit->id});
    done = pos = stop;
  }
  if (done < text.size()) out.push_back(TextSegment{text.substr(done), -1});
}

}  // namespace imaxbench
