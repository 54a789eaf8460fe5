// What a line of a text file is, for every reader of one (JSONL, CSV, JSON documents, journals,
// reports): LF, CRLF and a lone CR each end a line, and a UTF-8 byte-order mark before the first
// line is no part of it. One definition, so that a file reads and is numbered the same whatever
// wrote its line ends.
#pragma once

#include <cstddef>
#include <string_view>

namespace imaxbench {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// `text` without a leading byte-order mark.
inline std::string_view without_bom(std::string_view text) {
  return text.starts_with(kUtf8Bom) ? text.substr(kUtf8Bom.size()) : text;
}

// The line text[offset] is on (1-based) and the offset where that line starts.
struct LinePosition {
  std::size_t line = 1;
  std::size_t start = 0;
};
LinePosition line_at(std::string_view text, std::size_t offset);

// Where `data`'s last line starts when no line end closes it, and the lines before it. `begin` is
// data.size() when the data ends in a line end.
struct UnterminatedLine {
  std::size_t begin = 0;
  std::size_t lines_before = 0;
};
UnterminatedLine unterminated_last_line(std::string_view data);

}  // namespace imaxbench
