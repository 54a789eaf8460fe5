// sacreBLEU 2.5.1's segment preprocessing for BLEU: optional str.lower(), str.rstrip(), then one
// of its tokenizers, ported rule by rule:
//   13a  (tokenizer_13a.py + tokenizer_re.py): mteval-v13a's ASCII punctuation splitting,
//   intl (tokenizer_intl.py): mteval-v14's Unicode \p{P} / \p{S} splitting, digits kept together,
//   none: the text as is.
// A segment's words are then str.split() of the result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

enum class SacreBleuTokenizer { k13a, kIntl, kNone };

// What Tokenizer13a()(line) and TokenizerV14International()(line) return: tokens joined by one
// space.
std::string sacrebleu_tokenize_13a(std::string_view line);
std::string sacrebleu_tokenize_intl(std::string_view line);

// BLEU's words of one segment: lower-cased when asked, right-stripped, tokenized, split. The
// views point into `segment` or into `buffer`, which holds any text the steps had to rewrite.
std::vector<std::string_view> sacrebleu_words(std::string_view segment, SacreBleuTokenizer tok,
                                              bool lowercase, std::string& buffer);
// The same into `out` (replaced), reusing its memory.
void sacrebleu_words(std::string_view segment, SacreBleuTokenizer tok, bool lowercase,
                     std::string& buffer, std::vector<std::string_view>& out);

}  // namespace imaxbench
