// The default class lists of IMAX's classification tasks and the synonyms answers use for them.
// Synonyms attach to a class by its name (case-insensitive), so a custom vocabulary that reuses a
// known name gets its synonyms too; any other name is matched by itself and its plural only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tasks/mention_finder.h"

namespace imaxbench {

// Multiclass default: the four edema grades of MIMIC-CXR, in grade order 0..3.
const std::vector<std::string>& default_edema_classes();
// Multilabel default: the 14 CheXpert labels.
const std::vector<std::string>& default_chexpert_labels();

// True when `classes` is the default edema list (case-insensitive): an ordinal scale where grade
// k is index k, so "grade 2" or a bare "2" names a class.
bool is_edema_grade_scale(const std::vector<std::string>& classes);

// Names of a "nothing found" class or label: none, normal, no finding, no edema, negative.
bool is_null_class_name(std::string_view name);

// Phrases for every class: its name first, then its strong synonyms, then weak ones.
std::vector<Phrase> class_phrases(const std::vector<std::string>& classes);
std::vector<Phrase> label_phrases(const std::vector<std::string>& labels);
// "No finding", "normal", "none" and the like, all weak, for vocabularies without such a label.
std::vector<Phrase> nothing_found_phrases(int target);

}  // namespace imaxbench
