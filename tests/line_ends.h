// Test helpers for the line-end invariants (core/text_lines.h: LF, CRLF and a lone CR each end a
// line): a text with its LFs written as another line end, and every line end written as LF. Used
// by the unit tests and the fuzz targets alike.
#pragma once

#include <string>
#include <string_view>

namespace imaxbench::line_ends {

inline std::string with_line_ends(std::string_view text, std::string_view end) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string(end) : std::string(1, c);
  return out;
}

inline std::string as_lf(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i] == '\r' ? '\n' : text[i];
  }
  return out;
}

}  // namespace imaxbench::line_ends
