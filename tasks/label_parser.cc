#include "tasks/label_parser.h"

#include "tasks/mention_finder.h"
#include "tasks/task_common.h"
#include "tasks/vocabulary.h"

namespace imaxbench {
namespace {

// The labels' phrases, and "nothing found" phrases when no label is one.
std::vector<Phrase> answer_phrases(const std::vector<std::string>& vocabulary) {
  auto phrases = label_phrases(vocabulary);
  bool has_null = false;
  for (const auto& name : vocabulary) has_null = has_null || is_null_class_name(name);
  if (!has_null) {
    auto nothing = nothing_found_phrases(-2);  // target -2: no label, only "nothing found"
    phrases.insert(phrases.end(), nothing.begin(), nothing.end());
  }
  return phrases;
}

}  // namespace

LabelParse parse_label_answer(std::string_view text, const std::vector<std::string>& vocabulary) {
  LabelParse out;
  out.labels.assign(vocabulary.size(), 0);
  const auto token_list = tokenize(text);
  const auto& tokens = token_list.tokens;
  if (tokens.empty()) {
    out.note = no_words_note(text);
    return out;
  }
  int null_index = -1, devices_index = -1;
  for (std::size_t i = 0; i < vocabulary.size(); ++i) {
    if (null_index < 0 && is_null_class_name(vocabulary[i])) null_index = int(i);
    if (iequals(trim_copy(vocabulary[i]), "support devices")) devices_index = int(i);
  }
  bool any_mention = false, pathology = false, weak_null = false;
  cached_mention_finder(answer_phrases, vocabulary).for_each(tokens, [&](const Mention& m) {
    any_mention = true;
    if (m.negated) return;
    if (m.weak) {
      weak_null = true;
      return;
    }
    out.labels[m.target] = 1;
    if (m.target != null_index && m.target != devices_index) pathology = true;
  });
  bool any_positive = false;
  for (auto v : out.labels) any_positive = any_positive || v;

  if (weak_null && !pathology && null_index >= 0) {
    out.labels[null_index] = 1;
    any_positive = true;
  }
  if (any_positive) {
    out.ok = true;
    if (weak_null && pathology) out.note = "ignored a 'normal' phrase next to findings";
    return out;
  }
  if (weak_null || any_mention) {
    out.ok = true;
    if (null_index >= 0) out.labels[null_index] = 1;
    out.note = null_index >= 0 ? "no positive finding; set '" + vocabulary[null_index] + "'"
                               : "no positive finding";
    return out;
  }
  out.note = "no label named; labels are: " + join(vocabulary, ", ");
  return out;
}

}  // namespace imaxbench
