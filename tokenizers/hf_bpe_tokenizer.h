// A Hugging Face tokenizer.json with a byte-level BPE model, run as tokenizers' Tokenizer::encode
// (add_special_tokens=false) and ::decode run it: added tokens split off first, NFC, the split
// pre-tokenizers, the ByteLevel pre-tokenizer, BPE per word; decoding emits added tokens as they
// are and byte-decodes the model tokens between them. Loading: hf_tokenizer_json.cc.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "tokenizers/added_tokens.h"
#include "tokenizers/bpe_model.h"
#include "tokenizers/split_regex.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {

struct HfBpeConfig {
  bool nfc = false;                  // normalizer: NFC (else none)
  std::vector<SplitPattern> splits;  // Split pre-tokenizers (Isolated), in order, before ByteLevel
  bool byte_level_regex = true;      // ByteLevel's use_regex: split on GPT-2's pattern
  bool add_prefix_space = false;     // ByteLevel's add_prefix_space, per piece as tokenizers does
  std::vector<AddedToken> added_tokens;
};

class HfBpeTokenizer final : public Tokenizer {
 public:
  HfBpeTokenizer(BpeModel model, HfBpeConfig config);

  std::vector<std::int32_t> encode(std::string_view text) const override;
  std::string decode(std::span<const std::int32_t> ids, bool skip_special) const override;
  std::int32_t token_id(std::string_view token) const override;
  std::size_t vocab_size() const override { return vocab_size_; }
  std::string kind() const override { return "hf-bpe"; }

 private:
  // Pre-tokenizes normalized text holding no added token and appends the ids of its words.
  void encode_plain(std::string_view text, std::vector<std::int32_t>& ids) const;
  // Appends the normalized text's ids: its normalized added tokens, then plain stretches.
  void encode_normalized(std::string_view text, std::vector<std::int32_t>& ids) const;

  BpeModel model_;
  HfBpeConfig config_;
  AddedTokenMatcher raw_matcher_;         // added tokens with normalized=false
  AddedTokenMatcher normalized_matcher_;  // added tokens with normalized=true
  std::unordered_map<std::int32_t, AddedToken> added_by_id_;
  std::unordered_map<std::string, std::int32_t> added_by_content_;
  std::size_t vocab_size_ = 0;
};

}  // namespace imaxbench
