#include "tasks/prompt_template.h"

#include <algorithm>

#include "core/excerpt.h"

namespace imaxbench {
namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

// The identifier starting at `at` when it is closed by '}': its length, else 0. Reads up to the
// first character that is not an identifier's, so the scans of two braces never overlap by more
// than one character and a whole template is read in linear time.
std::size_t name_then_close(std::string_view t, std::size_t at) {
  if (at >= t.size() || !ident_start(t[at])) return 0;
  std::size_t j = at + 1;
  while (j < t.size() && ident_char(t[j])) ++j;
  return j < t.size() && t[j] == '}' ? j - at : 0;
}

enum class Piece { kText, kPlaceholder, kEscaped };

// Calls `on(piece, text)` for each part of `tmpl` in order: literal characters (kText, one at a
// time or a run), placeholders (kPlaceholder, the name) and {{name}} (kEscaped, the name).
template <class On>
void scan_template(std::string_view t, On on) {
  std::size_t i = 0, text_from = 0;
  auto flush = [&](std::size_t to) {
    if (to > text_from) on(Piece::kText, t.substr(text_from, to - text_from));
  };
  while (i < t.size()) {
    if (t[i] != '{') {
      ++i;
      continue;
    }
    if (i + 1 < t.size() && t[i + 1] == '{') {
      const std::size_t n = name_then_close(t, i + 2);
      if (n > 0 && i + 3 + n < t.size() && t[i + 3 + n] == '}') {
        flush(i);
        on(Piece::kEscaped, t.substr(i + 2, n));
        i += n + 4;
        text_from = i;
        continue;
      }
    }
    const std::size_t n = name_then_close(t, i + 1);
    if (n > 0) {
      flush(i);
      on(Piece::kPlaceholder, t.substr(i + 1, n));
      i += n + 2;
      text_from = i;
      continue;
    }
    ++i;
  }
  flush(t.size());
}

}  // namespace

std::string fill_template(std::string_view tmpl,
                          std::span<const std::pair<std::string_view, std::string>> values) {
  std::string out;
  out.reserve(tmpl.size() + 64);
  scan_template(tmpl, [&](Piece piece, std::string_view s) {
    if (piece == Piece::kText) {
      out += s;
      return;
    }
    if (piece == Piece::kPlaceholder) {
      for (const auto& [k, v] : values) {
        if (k == s) {
          out += v;
          return;
        }
      }
    }
    out += '{';
    out += s;
    out += '}';
  });
  return out;
}

std::string placeholder_list(const Task& task) {
  std::string out;
  for (auto name : task.prompt_placeholders()) {
    if (!out.empty()) out += ", ";
    out += "{" + std::string(name) + "}";
  }
  return out.empty() ? "none" : out;
}

std::string prompt_template_problem(const Task& task, std::string_view tmpl) {
  const auto valid = task.prompt_placeholders();
  std::string problem;
  scan_template(tmpl, [&](Piece piece, std::string_view name) {
    if (piece != Piece::kPlaceholder || !problem.empty()) return;
    if (std::find(valid.begin(), valid.end(), name) != valid.end()) return;
    problem = "unknown placeholder '{" + excerpt(name, 60) + "}' for task " + std::string(task.name()) +
              "; valid: " + placeholder_list(task) + " (write {{" + excerpt(name, 60) +
              "}} for the literal text)";
  });
  return problem;
}

}  // namespace imaxbench
