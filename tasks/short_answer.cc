#include "tasks/short_answer.h"

#include <cctype>
#include <vector>

#include "tasks/task_common.h"

namespace imaxbench {
namespace {

std::string first_line(std::string_view raw) {
  std::size_t start = 0;
  while (start <= raw.size()) {
    auto end = raw.find('\n', start);
    if (end == std::string_view::npos) end = raw.size();
    auto line = trim_copy(raw.substr(start, end - start));
    if (!line.empty()) return line;
    start = end + 1;
  }
  return {};
}

bool strip_prefix(std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size() || ascii_lower(s.substr(0, prefix.size())) != prefix) return false;
  s = trim_copy(std::string_view(s).substr(prefix.size()));
  while (!s.empty() && (s.front() == ':' || s.front() == '-')) s = trim_copy(std::string_view(s).substr(1));
  return true;
}

std::string strip_wrappers(std::string s) {
  bool again = true;
  while (again && !s.empty())
    again = strip_prefix(s, "answer:") || strip_prefix(s, "a:") || strip_prefix(s, "the answer is") ||
            strip_prefix(s, "answer is") || strip_prefix(s, "final answer");
  return s;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (char ch : s) {
    if (std::isalpha(static_cast<unsigned char>(ch))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
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
std::string first_sentence(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '!' || c == '?') return trim_copy(s.substr(0, i));
    if (c == '.' && !(i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))))
      return trim_copy(s.substr(0, i));
  }
  return trim_copy(s);
}

}  // namespace

ShortAnswer parse_closed_answer(std::string_view raw) {
  ShortAnswer out;
  const auto line = strip_wrappers(first_line(raw));
  const auto ws = words(line);
  if (!ws.empty()) {
    if (auto p = polarity(ws.front()); !p.empty()) {
      out.ok = true;
      out.text = p;
      return out;
    }
  }
  // A clause that is only "yes" or "no" ("Based on the image, yes.") answers the question; a
  // "no" inside a clause ("there is no effusion") may not, so it is not read.
  const auto sentence = first_sentence(line);
  std::string found;
  bool both = false;
  std::size_t start = 0;
  while (start <= sentence.size()) {
    auto end = sentence.find(',', start);
    if (end == std::string::npos) end = sentence.size();
    const auto ws_clause = words(std::string_view(sentence).substr(start, end - start));
    if (ws_clause.size() == 1 && (ws_clause[0] == "yes" || ws_clause[0] == "no")) {
      if (!found.empty() && found != ws_clause[0]) both = true;
      found = ws_clause[0];
    }
    start = end + 1;
  }
  if (!found.empty() && !both) {
    out.ok = true;
    out.text = found;
    out.note = "yes/no found as a clause of the first sentence";
    return out;
  }
  out.text = sentence.empty() ? line : sentence;
  out.ok = !out.text.empty();
  out.note = out.ok ? "no leading yes/no; used the first sentence" : "empty answer";
  return out;
}

ShortAnswer parse_open_answer(std::string_view raw) {
  ShortAnswer out;
  out.text = strip_wrappers(first_line(raw));
  out.ok = !out.text.empty();
  if (!out.ok) out.note = "empty answer";
  return out;
}

}  // namespace imaxbench
