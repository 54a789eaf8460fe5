// Text tokenizers of generative model packages: Hugging Face tokenizer.json files with a
// byte-level BPE model (GPT-2, LLaMA-3, Qwen2 families) and SentencePiece .model files. Ids and
// decoded text match the reference libraries (tests/golden/tokenizer_test.cc checks that against
// vectors from Hugging Face `tokenizers` and `sentencepiece`). Implementations are immutable after
// loading: encode and decode may be called from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Ids of text. No special tokens are added (no BOS/EOS); special tokens written in the text
  // ("<|im_start|>", "<image>") are recognised as their ids, as the reference libraries do.
  virtual std::vector<std::int32_t> encode(std::string_view text) const = 0;
  // Text of ids. skip_special drops special tokens (HF: special added tokens; SentencePiece:
  // control pieces such as <s> and </s>). Invalid UTF-8 from byte tokens becomes U+FFFD.
  virtual std::string decode(std::span<const std::int32_t> ids, bool skip_special = true) const = 0;
  // Id of one token given by its text (special tokens like "<image>", "<|im_end|>"), -1 if absent.
  virtual std::int32_t token_id(std::string_view token) const = 0;
  // HF: get_vocab_size(with_added_tokens=true); SentencePiece: the number of pieces.
  virtual std::size_t vocab_size() const = 0;
  virtual std::string kind() const = 0;  // "hf-bpe" or "sentencepiece"
};

// kind: "hf-bpe" (a Hugging Face tokenizer.json) or "sentencepiece" (a .model file). Throws Error
// naming the file and what is wrong (missing, unreadable, an unsupported feature).
std::unique_ptr<Tokenizer> load_tokenizer(const std::string& kind, const std::string& path);

// The two implementations, for callers that know the kind.
std::unique_ptr<Tokenizer> load_hf_bpe_tokenizer(const std::string& path);
std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::string& path);

}  // namespace imaxbench
