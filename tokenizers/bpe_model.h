// The BPE model of a byte-level Hugging Face tokenizer: vocabulary, ranked merges, and the merge
// loop of tokenizers' Word::merge_all (a priority queue of (rank, position) with stale entries
// skipped), ported step for step so ties and overlapping merges resolve as they do there.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imaxbench {

struct BpeOptions {
  std::int32_t unk_id = -1;     // id for a byte whose alphabet character is not in the vocabulary
  bool fuse_unk = false;        // consecutive unknowns become one unk token
  bool ignore_merges = false;   // a word that is itself a vocabulary entry is that entry (LLaMA-3)
};

class BpeModel {
 public:
  // vocab: token -> id. merges: (left, right) token pairs in rank order. Throws Error naming
  // `where` and the offending merge when a merge's parts or result are not in the vocabulary.
  BpeModel(std::unordered_map<std::string, std::int32_t> vocab,
           const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options,
           const std::string& where);
  // Moved, never copied: id_to_token_ points at vocab_'s keys, which a move keeps where they are
  // and a copy would not (the copy's table would point into the original's).
  BpeModel(const BpeModel&) = delete;
  BpeModel& operator=(const BpeModel&) = delete;
  BpeModel(BpeModel&&) = default;
  BpeModel& operator=(BpeModel&&) = default;

  // Appends the ids of one pre-tokenized word, given as raw bytes (not yet alphabet-mapped).
  void encode_word(std::string_view bytes, std::vector<std::int32_t>& ids) const;

  // The token of id, or nullptr.
  const std::string* token(std::int32_t id) const;
  std::int32_t id(std::string_view token) const;  // -1 when absent
  const std::unordered_map<std::string, std::int32_t>& vocab() const { return vocab_; }

 private:
  struct Merge {
    std::uint32_t rank;
    std::int32_t new_id;
  };
  static std::uint64_t key(std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) |
           static_cast<std::uint32_t>(b);
  }
  const Merge* find_merge(std::int32_t a, std::int32_t b) const;

  std::unordered_map<std::string, std::int32_t> vocab_;
  std::vector<const std::string*> id_to_token_;
  std::unordered_map<std::uint64_t, Merge> merges_;
  std::array<std::int32_t, 256> byte_ids_{};  // id of each byte's alphabet character, or -1
  BpeOptions options_;
};

}  // namespace imaxbench
