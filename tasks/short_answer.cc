#include "tasks/short_answer.h"

#include <cctype>

#include "tasks/task_common.h"

namespace imaxbench {
namespace {

// Every step below works on views of the answer and moves forward only, so a step never copies
// or rescans what an earlier one consumed: linear in the answer.

bool strip_prefix(std::string_view& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  s = trim_view(s.substr(prefix.size()));
  // Then every ':' or '-' and the spaces after each: the whole run of those characters.
  if (!s.empty() && (s.front() == ':' || s.front() == '-')) {
    const auto keep = s.find_first_not_of(":- \t\r\n\f\v");
    s = keep == std::string_view::npos ? std::string_view() : s.substr(keep);
  }
  return true;
}

// Markdown emphasis and heading marks before the text ("**Answer:** Yes", "### Answer").
std::string_view skip_markup(std::string_view s) {
  const auto keep = s.find_first_not_of("*_#` \t");
  return keep == std::string_view::npos ? std::string_view() : s.substr(keep);
}

bool is_answer_word(std::string_view s) {  // "Answer" alone, as a heading
  return s.size() == 6 && std::tolower(static_cast<unsigned char>(s[0])) == 'a' && s.substr(1) == "nswer";
}

std::string_view strip_wrappers(std::string_view s) {
  bool again = true;
  while (again && !s.empty()) {
    s = trim_view(skip_markup(s));
    again = strip_prefix(s, "answer:") || strip_prefix(s, "a:") || strip_prefix(s, "the answer is") ||
            strip_prefix(s, "answer is") || strip_prefix(s, "final answer");
  }
  // Emphasis closing after the answer ("**Answer: No**"), and a line that was only a heading.
  while (!s.empty() && (s.back() == '*' || s.back() == '_' || s.back() == '`')) s = trim_view(s.substr(0, s.size() - 1));
  return is_answer_word(s) ? std::string_view() : s;
}

// The first line that holds more than its wrappers: "Answer:" on a line of its own, the answer on
// the next, is that answer (it was unparsed, "empty answer").
std::string_view answer_line(std::string_view raw) {
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find_first_of("\r\n", start);  // LF, CRLF or a lone CR
    if (end == std::string_view::npos) end = raw.size();
    if (const auto line = strip_wrappers(trim_view(raw.substr(start, end - start))); !line.empty()) return line;
    start = end + 1;
  }
  return {};
}

bool is_letter(char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; }

// The first word (run of letters) of `s`, lower-cased; empty when there is none.
std::string first_word(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && !is_letter(s[i])) ++i;
  std::string w;
  for (; i < s.size() && is_letter(s[i]); ++i) w += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  return w;
}

// "yes" or "no" when `clause` has exactly one word and it is yes or no (any case); else "".
std::string_view lone_yes_no(std::string_view clause) {
  std::string_view word;
  int count = 0;
  for (std::size_t i = 0; i < clause.size();) {
    if (!is_letter(clause[i])) {
      ++i;
      continue;
    }
    const std::size_t begin = i;
    while (i < clause.size() && is_letter(clause[i])) ++i;
    if (++count > 1) return {};
    word = clause.substr(begin, i - begin);
  }
  auto is = [&](std::string_view w) {
    if (word.size() != w.size()) return false;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(word[i])) != w[i]) return false;
    return true;
  };
  if (count == 1 && is("yes")) return "yes";
  if (count == 1 && is("no")) return "no";
  return {};
}

// "yes", "no" or "" for one word.
std::string polarity(std::string_view w) {
  if (w == "yes" || w == "yeah" || w == "yep" || w == "yup" || w == "correct" || w == "true" ||
      w == "affirmative")
    return "yes";
  if (w == "no" || w == "nope" || w == "false") return "no";
  return "";
}

// Up to the first sentence end: . ! ? not inside a number.
std::string_view first_sentence(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '!' || c == '?') return trim_view(s.substr(0, i));
    if (c == '.' && !(i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))))
      return trim_view(s.substr(0, i));
  }
  return trim_view(s);
}

}  // namespace

ShortAnswer parse_closed_answer(std::string_view raw) {
  ShortAnswer out;
  const auto line = answer_line(raw);
  if (auto p = polarity(first_word(line)); !p.empty()) {
    out.ok = true;
    out.text = p;
    return out;
  }
  // A clause that is only "yes" or "no" ("Based on the image, yes.") answers the question; a
  // "no" inside a clause ("there is no effusion") may not, so it is not read.
  const auto sentence = first_sentence(line);
  std::string_view found;
  bool both = false;
  std::size_t start = 0;
  while (start <= sentence.size()) {
    auto end = sentence.find(',', start);
    if (end == std::string_view::npos) end = sentence.size();
    if (const auto word = lone_yes_no(sentence.substr(start, end - start)); !word.empty()) {
      if (!found.empty() && found != word) both = true;
      found = word;
    }
    start = end + 1;
  }
  if (!found.empty() && !both) {
    out.ok = true;
    out.text = std::string(found);
    out.note = "yes/no found as a clause of the first sentence";
    return out;
  }
  out.text = std::string(sentence.empty() ? line : sentence);
  out.ok = !out.text.empty();
  out.note = out.ok ? "no leading yes/no; used the first sentence" : "empty answer";
  return out;
}

ShortAnswer parse_open_answer(std::string_view raw) {
  ShortAnswer out;
  out.text = std::string(answer_line(raw));
  out.ok = !out.text.empty();
  if (!out.ok) out.note = "empty answer";
  return out;
}

}  // namespace imaxbench
