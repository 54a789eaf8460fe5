// The words Uni-Med (the IMAX authors' earlier code, github.com/MSIIP/Uni-Med) feeds to nltk's
// sentence_bleu in eval_identify.py, the region-grounded captioning (REG) evaluation:
//   reference:  normalize_word(answer_gt).split()
//   hypothesis: normalize_word(answer_pred.lower().replace('<unk>', '').strip()).split()
// normalize_word (evaluate_metrics.py) is vqaEval.py's processPunctuation + processDigitArticle
// applied to the raw text: 21 punctuation characters deleted when the text has one of them next
// to a ' ' (or digit,digit anywhere) else turned into spaces; at most 32 periods not followed by a
// digit deleted (re.UNICODE passed as re.sub's count); lower-case, split, number words to
// digits, articles dropped, contractions restored. Unlike text_normalize.h's vqa_normalize, no
// '\n'/'\t' replacement or strip comes first, and \d and lower-casing are Python's Unicode ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

std::vector<std::string> unimed_normalize_words(std::string_view text);  // normalize_word().split()
std::vector<std::string> unimed_hypothesis_words(std::string_view text);
inline std::vector<std::string> unimed_reference_words(std::string_view text) {
  return unimed_normalize_words(text);
}

}  // namespace imaxbench
