// The character-level reader the box parsers share (tasks/box_parser.cc, tasks/family_boxes.cc):
// literals, capped runs of spaces, and numbers of bounded length, so that every try from a start
// position reads a bounded number of characters and a whole scan stays linear in the answer.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <string_view>
#include <system_error>

namespace imaxbench::box_scan {

// ASCII classes, as <cctype> reads them in the "C" locale (the program never sets another),
// inlined: the scanner asks at every byte.
inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A box value's digits before and after the point: enough for a float Python writes in full
// ("0.48828125000000006", 17 digits; with 12, such a box was unparsed and scored wrong).
constexpr std::size_t kMaxDigits = 24;

// A hand-written scanner rather than std::regex: libstdc++'s regex recurses per character and
// overflows the stack on long answers. Runs of spaces inside a box are capped so that scanning
// stays linear on any input.
class Cursor {
 public:
  Cursor(std::string_view text, std::size_t pos) : t_(text), i_(pos) {}
  std::size_t pos() const { return i_; }

  void spaces() {
    for (int n = 0; n < kMaxSpaces && i_ < t_.size() && is_space(t_[i_]); ++n)
      ++i_;
  }
  bool lit(std::string_view s) {
    if (t_.substr(i_, s.size()) != s) return false;
    i_ += s.size();
    return true;
  }
  // Numbers keep their sign so "-5" is rejected as out of range rather than read as 5. Sets `out`
  // to the number's characters (see to_double).
  bool number(std::string_view& out) {
    const std::size_t start = i_;
    std::size_t j = i_;
    if (j < t_.size() && t_[j] == '-') ++j;
    const std::size_t int_start = j;
    while (j < t_.size() && j - int_start < kMaxDigits && is_digit(t_[j])) ++j;
    bool digits = j > int_start;
    if (j + 1 < t_.size() && t_[j] == '.' && is_digit(t_[j + 1])) {
      const std::size_t frac_start = ++j;
      while (j < t_.size() && j - frac_start < kMaxDigits && is_digit(t_[j])) ++j;
      digits = true;
    }
    if (!digits) return false;
    out = t_.substr(start, j - start);
    i_ = j;
    return true;
  }
  // A separator between list values: a comma with optional spaces, or at least one space.
  bool separator() {
    const std::size_t start = i_;
    spaces();
    if (lit(",")) {
      spaces();
      return true;
    }
    return i_ > start;
  }

 private:
  // Enough for JSON indented as json.dumps(indent=4) writes a list in a list (13 characters, with
  // its line break; with 8, such a Qwen2.5-VL answer was unparsed).
  static constexpr int kMaxSpaces = 64;
  std::string_view t_;
  std::size_t i_;
};

// {<x1><y1><x2><y2>} with optional braces (the 0-100 grid's syntax, MiniGPT-v2's native one):
// the four values' characters into `n`, and in `end` the position after the box.
inline bool read_braces(std::string_view t, std::size_t at, std::string_view (&n)[4], std::size_t& end) {
  Cursor c(t, at);
  if (c.lit("{")) c.spaces();
  for (int k = 0; k < 4; ++k) {
    if (k > 0) c.spaces();
    if (!c.lit("<")) return false;
    c.spaces();
    if (!c.number(n[k])) return false;
    c.spaces();
    if (!c.lit(">")) return false;
  }
  end = c.pos();
  c.spaces();
  if (c.lit("}")) end = c.pos();
  return true;
}

// A number Cursor::number read: -?digits(.digits)?, at most 1 + 2 * kMaxDigits + 1 characters.
// std::from_chars rounds correctly like strtod, and such a number is well inside double's range,
// so the two agree; strtod stays as a fallback should they not.
inline double to_double(std::string_view number) {
  double value = 0;
  const auto r = std::from_chars(number.data(), number.data() + number.size(), value);
  if (r.ec == std::errc() && r.ptr == number.data() + number.size()) return value;
  char buf[2 * kMaxDigits + 3];
  const std::size_t n = number.copy(buf, sizeof buf - 1);
  buf[n] = '\0';
  return std::strtod(buf, nullptr);
}

}  // namespace imaxbench::box_scan
