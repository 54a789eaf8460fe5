#include "tokenizers/hf_bpe_tokenizer.h"

#include <deque>
#include <unordered_set>

#include "tokenizers/byte_level.h"
#include "tokenizers/nfc.h"

namespace imaxbench {

HfBpeTokenizer::HfBpeTokenizer(BpeModel model, HfBpeConfig config)
    : model_(std::move(model)), config_(std::move(config)) {
  std::vector<AddedToken> raw, normalized;
  for (const AddedToken& token : config_.added_tokens) {
    added_by_id_[token.id] = token;
    added_by_content_[token.content] = token.id;
    if (!token.normalized) {
      raw.push_back(token);
      continue;
    }
    // tokenizers matches normalized added tokens by their normalized content.
    AddedToken copy = token;
    if (config_.nfc) copy.content = nfc_normalize(copy.content);
    normalized.push_back(std::move(copy));
  }
  raw_matcher_ = AddedTokenMatcher(std::move(raw));
  normalized_matcher_ = AddedTokenMatcher(std::move(normalized));
  // get_vocab(with_added_tokens=true).len(): the model vocabulary plus the added contents.
  std::unordered_set<std::string_view> contents;
  for (const auto& [token, id] : model_.vocab()) contents.insert(token);
  for (const auto& [content, id] : added_by_content_) contents.insert(content);
  vocab_size_ = contents.size();
}

void HfBpeTokenizer::encode_plain(std::string_view text, std::vector<std::int32_t>& ids) const {
  std::vector<std::string_view> pieces{text}, next;
  for (SplitPattern pattern : config_.splits) {
    next.clear();
    for (std::string_view piece : pieces) split_isolated(pattern, piece, next);
    pieces.swap(next);
  }
  std::deque<std::string> prefixed;  // pieces given a leading space (stable addresses)
  for (std::string_view piece : pieces) {
    if (config_.add_prefix_space && !piece.starts_with(' ')) {
      prefixed.emplace_back(1, ' ');
      prefixed.back().append(piece);
      piece = prefixed.back();
    }
    if (!config_.byte_level_regex) {
      model_.encode_word(piece, ids);
      continue;
    }
    next.clear();
    split_isolated(SplitPattern::kGpt2, piece, next);
    for (std::string_view word : next) model_.encode_word(word, ids);
  }
}

void HfBpeTokenizer::encode_normalized(std::string_view text,
                                       std::vector<std::int32_t>& ids) const {
  if (normalized_matcher_.empty()) {
    encode_plain(text, ids);
    return;
  }
  std::vector<TextSegment> segments;
  normalized_matcher_.split(text, segments);
  for (const TextSegment& s : segments) {
    if (s.id >= 0) ids.push_back(s.id);
    else encode_plain(s.text, ids);
  }
}

std::vector<std::int32_t> HfBpeTokenizer::encode(std::string_view text) const {
  std::vector<std::int32_t> ids;
  std::vector<TextSegment> segments;
  if (raw_matcher_.empty()) segments.push_back(TextSegment{text, -1});
  else raw_matcher_.split(text, segments);
  for (const TextSegment& s : segments) {
    if (s.id >= 0) {
      ids.push_back(s.id);
    } else if (config_.nfc) {
      encode_normalized(nfc_normalize(s.text), ids);
    } else {
      encode_normalized(s.text, ids);
    }
  }
  return ids;
}

std::string HfBpeTokenizer::decode(std::span<const std::int32_t> ids, bool skip_special) const {
  std::string out, bytes;
  // The ByteLevel decoder: each token's alphabet characters back to bytes (a token with another
  // character, such as an added " <x>", as its own UTF-8), then lossy UTF-8 over the run.
  auto flush = [&] {
    if (bytes.empty()) return;
    out += utf8_lossy(bytes);
    bytes.clear();
  };
  for (std::int32_t id : ids) {
    if (auto it = added_by_id_.find(id); it != added_by_id_.end()) {
      if (skip_special && it->second.special) continue;
      flush();
      out += it->second.content;
    } else if (const std::string* token = model_.token(id)) {
      if (!alphabet_to_bytes(*token, bytes)) bytes += *token;
    }
    // Ids in neither vocabulary are dropped, as tokenizers drops them.
  }
  flush();
  return out;
}

std::int32_t HfBpeTokenizer::token_id(std::string_view token) const {
  if (auto it = added_by_content_.find(std::string(token)); it != added_by_content_.end())
    return it->second;
  return model_.id(token);
}

}  // namespace imaxbench
