// Reads the set of labels a model's answer names (multilabel classification).
//
// Rules:
//  - Labels and their synonyms (vocabulary.h) match case-insensitively, with plurals, anywhere in
//    the answer, so comma, semicolon, "and", newline and bullet lists all work.
//  - Negated mentions ("no pleural effusion", "without pneumothorax", "negative for X", "X is
//    absent", "no A, B or C") are not positives (mention_finder.h); hedged ones are.
//  - Weak "nothing found" phrases ("normal", "unremarkable", "none") set No Finding only when no
//    other label except Support Devices is positive ("heart size is normal; small effusion" is just
//    Pleural Effusion). The name "No Finding" itself and strong phrases ("no acute
//    cardiopulmonary process") always count.
//  - An answer with no positive mention but with negated mentions or a weak "nothing found"
//    phrase is parsed as "nothing": No Finding when the vocabulary has it, otherwise all zero.
//  - Nothing recognisable: unparsed.
//
// Cost: O(n) time and memory in the answer's length n (tokenize and MentionFinder, see
// mention_finder.h, then one pass over the mentions as they are found). The phrase index of a
// vocabulary is built once per thread and reused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

struct LabelParse {
  bool ok = false;
  std::vector<std::uint8_t> labels;  // multi-hot over the vocabulary
  std::string note;
};

LabelParse parse_label_answer(std::string_view text, const std::vector<std::string>& vocabulary);

}  // namespace imaxbench
