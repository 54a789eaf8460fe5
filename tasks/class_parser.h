// Reads one class out of a model's answer (multiclass classification).
//
// Rules:
//  - Class names and their synonyms (vocabulary.h) match case-insensitively, with plurals, in
//    reading order; negated mentions ("no alveolar edema") do not count (mention_finder.h).
//  - The first positive mention wins, except that a "nothing found" class (none, normal, ...)
//    yields to any positive mention of another class: "no edema, but vascular congestion" is
//    vascular congestion.
//  - On the default edema scale (grades 0..3 = none, vascular congestion, interstitial edema,
//    alveolar edema), "grade k" anywhere ("grade: 2", "grade is 2", "grade II", "grade two";
//    also severity, class, level, stage or score instead of grade) and
//    a bare digit opening the answer ("2", "3 - alveolar edema") name class k; grade 0 yields to
//    positive mentions like the "nothing found" class. A grade after no/not ("not grade 3") or
//    restating a negated mention of its class ("no alveolar edema (grade 3)") does not count, and
//    Roman "I" only right after the word ("grade I"; "Severity: I believe ..." is the pronoun).
//  - An answer that is just "no", "negative" or "absent", or whose only mentions are negated,
//    means the "nothing found" class when the list has one.
//  - Nothing recognisable: unparsed.
//
// Cost: O(n) time and memory in the answer's length n (tokenize and MentionFinder, see
// mention_finder.h; the grade search and the whole-answer class-name test are single passes). The
// phrase index of a class list is built once per thread and reused, so the vocabulary adds a
// constant per answer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

struct ClassParse {
  bool ok = false;
  int index = -1;
  std::string note;
};

ClassParse parse_class_answer(std::string_view text, const std::vector<std::string>& classes);

// The index of `name` among `classes`, case-insensitively and ignoring surrounding spaces; -1 if absent.
int find_class(const std::vector<std::string>& classes, std::string_view name);

}  // namespace imaxbench
