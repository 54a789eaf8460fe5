#include "core/text_lines.h"

namespace imaxbench {

LinePosition line_at(std::string_view text, std::size_t offset) {
  LinePosition at;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++at.line;
      at.start = i + 1;
    }
  return at;
}

UnterminatedLine unterminated_last_line(std::string_view data) {
  const std::size_t last_end = data.find_last_of("\r\n");
  const std::size_t begin = last_end == std::string_view::npos ? 0 : last_end + 1;
  return {begin, line_at(data, begin).line - 1};
}

}  // namespace imaxbench
