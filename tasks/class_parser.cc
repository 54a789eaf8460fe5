#include "tasks/class_parser.h"

#include <cctype>
#include <optional>

#include "tasks/mention_finder.h"
#include "tasks/task_common.h"
#include "tasks/vocabulary.h"

namespace imaxbench {
namespace {

std::optional<int> grade_number(std::string_view word) {
  if (word == "0" || word == "zero") return 0;
  if (word == "1" || word == "one" || word == "i") return 1;
  if (word == "2" || word == "two" || word == "ii") return 2;
  if (word == "3" || word == "three" || word == "iii") return 3;
  return std::nullopt;
}

bool is_grade_word(std::string_view w) {
  return w == "grade" || w == "severity" || w == "class" || w == "level" || w == "stage" || w == "score";
}

bool is_negation_word(std::string_view w) { return w == "no" || w == "not" || w == "non" || w == "without"; }

// Token index and grade of the first "grade k" (or a bare k opening the answer) that is not
// negated. Negated: "not grade 3", and a grade that restates a negated mention of its own class
// right before it ("no alveolar edema (grade 3)"; `negated_class_before[i]`: the class of a
// negated mention ending at token i, else -1).
std::optional<std::pair<std::size_t, int>> find_grade(const std::vector<Token>& tokens,
                                                      const std::vector<int>& negated_class_before) {
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!is_grade_word(tokens[i].text)) continue;
    std::size_t k = i + 1;  // "grade 2", "grade: 2", "grade is 2", "grade of 2"
    if (k + 1 < tokens.size() && (tokens[k].text == "is" || tokens[k].text == "of")) ++k;
    const auto g = grade_number(tokens[k].text);
    if (!g) continue;
    // Roman "i" is the pronoun unless it follows the word directly: "grade I edema", not
    // "Severity: I believe ..." or "based on the severity, I would say ...".
    if (tokens[k].text == "i" && (k != i + 1 || tokens[k].before != Separator::kNone)) continue;
    if (i > 0 && tokens[i].before == Separator::kNone && is_negation_word(tokens[i - 1].text)) continue;
    if (i < negated_class_before.size() && negated_class_before[i] == *g) continue;
    return std::make_pair(i, *g);
  }
  if (!tokens.empty() && tokens[0].text.size() == 1 && tokens[0].text[0] >= '0' && tokens[0].text[0] <= '9')
    if (auto g = grade_number(tokens[0].text))
      if (tokens.size() == 1 || tokens[1].before != Separator::kNone) return std::make_pair(std::size_t{0}, *g);
  return std::nullopt;
}

bool iequal_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

int null_class(const std::vector<std::string>& classes) {
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (is_null_class_name(classes[i])) return int(i);
  return -1;
}

}  // namespace

int find_class(const std::vector<std::string>& classes, std::string_view name) {
  const auto wanted = trim_view(name);  // compared in place: a long answer is never copied
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (iequal_ascii(trim_view(classes[i]), wanted)) return int(i);
  return -1;
}

ClassParse parse_class_answer(std::string_view text, const std::vector<std::string>& classes) {
  ClassParse out;
  const auto token_list = tokenize(text);
  const auto& tokens = token_list.tokens;
  if (tokens.empty()) {
    out.note = no_words_note(text);
    return out;
  }
  if (int exact = find_class(classes, text); exact >= 0) {
    out.ok = true;
    out.index = exact;
    return out;
  }
  const int null_index = null_class(classes);
  // The mentions are read as they are found (no list is kept): the first positive one, the first
  // positive "nothing found" one, and whether a later positive one names another class.
  bool any_mention = false, several = false;
  std::optional<Mention> first_positive, first_null;
  std::vector<int> negated_class_before;  // by token: the class of a negated mention just ended
  cached_mention_finder(class_phrases, classes).for_each(tokens, [&](const Mention& m) {
    any_mention = true;
    if (m.negated) {
      if (negated_class_before.size() < tokens.size()) negated_class_before.resize(tokens.size(), -1);
      if (m.first + m.count < tokens.size()) negated_class_before[m.first + m.count] = m.target;
      return;
    }
    if (m.target == null_index) {
      if (!first_null) first_null = m;
    } else if (!first_positive) {
      first_positive = m;
    } else if (m.target != first_positive->target) {
      several = true;
    }
  });
  std::optional<std::pair<std::size_t, int>> grade;
  if (is_edema_grade_scale(classes)) grade = find_grade(tokens, negated_class_before);

  auto take = [&](int index, std::string note) {
    out.ok = true;
    out.index = index;
    out.note = std::move(note);
    return out;
  };
  // A grade number counts as a mention at its position; null grades yield like the null class.
  if (grade && grade->second != 0 && (!first_positive || grade->first < first_positive->first))
    return take(grade->second, "read grade " + std::to_string(grade->second));
  if (first_positive) {
    std::string note;
    if (several) note = "several classes mentioned; took the first";
    if (first_null) note += std::string(note.empty() ? "" : "; ") + "'" + classes[null_index] + "' overridden";
    return take(first_positive->target, note);
  }
  if (grade) return take(grade->second, "read grade 0");
  if (first_null) return take(first_null->target, "");
  if (null_index >= 0) {
    const auto lone = ascii_lower(tokens.size() == 1 ? tokens[0].text : "");
    if (lone == "no" || lone == "negative" || lone == "absent")
      return take(null_index, "read '" + lone + "' as '" + classes[null_index] + "'");
    if (any_mention)
      return take(null_index, "only negated mentions; took '" + classes[null_index] + "'");
  }
  out.note = !any_mention ? "no class named; classes are: " + join(classes, ", ")
                          : "only negated mentions and no 'nothing found' class";
  return out;
}

}  // namespace imaxbench
