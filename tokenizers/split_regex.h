// The pre-tokenizer split regexes of byte-level BPE tokenizers, matched by hand (no regex
// engine): each is recognised by its exact pattern text in tokenizer.json and reproduces
// Oniguruma's leftmost-first matching of that pattern, with \p{L}, \p{N} and \s from
// unicode_tables.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

enum class SplitPattern {
  kGpt2,    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  kLlama3,  // (?i:'s|...)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|...
  kQwen2,   // the LLaMA-3 pattern with \p{N} in place of \p{N}{1,3}
};

// The pattern whose text is regex, or nullopt.
std::optional<SplitPattern> find_split_pattern(std::string_view regex);
std::string split_pattern_text(SplitPattern pattern);

// Splits text into the pattern's matches, with any unmatched stretch between them kept as a
// piece of its own ("Isolated" behaviour). Pieces are views into text, in order, none empty.
void split_isolated(SplitPattern pattern, std::string_view text,
                    std::vector<std::string_view>& pieces);

}  // namespace imaxbench
