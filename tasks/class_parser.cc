#include "tasks/class_parser.h"

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

// Token index and grade of the first "grade k" (or a bare k opening the answer).
std::optional<std::pair<std::size_t, int>> find_grade(const std::vector<Token>& tokens) {
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!is_grade_word(tokens[i].text)) continue;
    std::size_t k = i + 1;  // "grade 2", "grade: 2", "grade is 2", "grade of 2"
    if (k + 1 < tokens.size() && (tokens[k].text == "is" || tokens[k].text == "of")) ++k;
    if (auto g = grade_number(tokens[k].text)) return std::make_pair(i, *g);
  }
  if (!tokens.empty() && tokens[0].text.size() == 1 && tokens[0].text[0] >= '0' && tokens[0].text[0] <= '9')
    if (auto g = grade_number(tokens[0].text))
      if (tokens.size() == 1 || tokens[1].before != Separator::kNone) return std::make_pair(std::size_t{0}, *g);
  return std::nullopt;
}

int null_class(const std::vector<std::string>& classes) {
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (is_null_class_name(classes[i])) return int(i);
  return -1;
}

}  // namespace

int find_class(const std::vector<std::string>& classes, std::string_view name) {
  const auto wanted = ascii_lower(trim_copy(name));
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (ascii_lower(trim_copy(classes[i])) == wanted) return int(i);
  return -1;
}

ClassParse parse_class_answer(std::string_view text, const std::vector<std::string>& classes) {
  ClassParse out;
  const auto tokens = tokenize(text);
  if (tokens.empty()) {
    out.note = "empty answer";
    return out;
  }
  if (int exact = find_class(classes, text); exact >= 0) {
    out.ok = true;
    out.index = exact;
    return out;
  }
  const int null_index = null_class(classes);
  const auto mentions = find_mentions(tokens, class_phrases(classes));

  const Mention* first_positive = nullptr;
  const Mention* first_null = nullptr;
  for (const auto& m : mentions) {
    if (m.negated) continue;
    if (m.target == null_index) {
      if (!first_null) first_null = &m;
    } else if (!first_positive) {
      first_positive = &m;
    }
  }
  std::optional<std::pair<std::size_t, int>> grade;
  if (is_edema_grade_scale(classes)) grade = find_grade(tokens);

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
    for (const auto& m : mentions)
      if (!m.negated && m.target != first_positive->target && m.target != null_index) {
        note = "several classes mentioned; took the first";
        break;
      }
    if (first_null) note += std::string(note.empty() ? "" : "; ") + "'" + classes[null_index] + "' overridden";
    return take(first_positive->target, note);
  }
  if (grade) return take(grade->second, "read grade 0");
  if (first_null) return take(first_null->target, "");
  if (null_index >= 0) {
    const auto lone = ascii_lower(tokens.size() == 1 ? tokens[0].text : "");
    if (lone == "no" || lone == "negative" || lone == "absent")
      return take(null_index, "read '" + lone + "' as '" + classes[null_index] + "'");
    if (!mentions.empty())
      return take(null_index, "only negated mentions; took '" + classes[null_index] + "'");
  }
  out.note = mentions.empty() ? "no class named; classes are: " + join(classes, ", ")
                              : "only negated mentions and no 'nothing found' class";
  return out;
}

}  // namespace imaxbench
