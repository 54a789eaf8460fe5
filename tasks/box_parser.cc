#include "tasks/box_parser.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace imaxbench {
namespace {

enum class Syntax { kBraces, kPairs, kList };

struct Found {
  Syntax syntax;
  std::size_t begin = 0, end = 0;
  std::string_view number[4];   // the values' characters, read into v only for the first box
  double v[4] = {0, 0, 0, 0};
  bool tagged = false;  // <box> or <|box_start|> around a pair box
};

// ASCII classes, as <cctype> reads them in the "C" locale (the program never sets another),
// inlined: the scanner asks at every byte.
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::size_t kMaxDigits = 12;  // a box value's digits before and after the point

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
  static constexpr int kMaxSpaces = 8;
  std::string_view t_;
  std::size_t i_;
};

// A number Cursor::number read: -?digits(.digits)?, at most 1 + 12 + 1 + 12 characters.
// std::from_chars rounds correctly like strtod, and such a number is well inside double's range,
// so the two agree; strtod stays as a fallback should they not.
double to_double(std::string_view number) {
  double value = 0;
  const auto r = std::from_chars(number.data(), number.data() + number.size(), value);
  if (r.ec == std::errc() && r.ptr == number.data() + number.size()) return value;
  char buf[2 * kMaxDigits + 3];
  const std::size_t n = number.copy(buf, sizeof buf - 1);
  buf[n] = '\0';
  return std::strtod(buf, nullptr);
}

// {<x1><y1><x2><y2>}, braces optional.
bool read_braces(std::string_view t, std::size_t at, Found& f) {
  Cursor c(t, at);
  if (c.lit("{")) c.spaces();
  for (int k = 0; k < 4; ++k) {
    if (k > 0) c.spaces();
    if (!c.lit("<")) return false;
    c.spaces();
    if (!c.number(f.number[k])) return false;
    c.spaces();
    if (!c.lit(">")) return false;
  }
  const std::size_t end = c.pos();
  c.spaces();
  f.end = c.lit("}") ? c.pos() : end;
  f.syntax = Syntax::kBraces;
  return true;
}

// <box>(x1,y1),(x2,y2)</box>, tags optional.
bool read_pairs(std::string_view t, std::size_t at, Found& f) {
  Cursor c(t, at);
  f.tagged = c.lit("<box>") || c.lit("<|box_start|>");
  if (f.tagged) c.spaces();
  for (int k = 0; k < 4; k += 2) {
    if (k > 0) {
      c.spaces();
      if (c.lit(",")) c.spaces();
    }
    if (!c.lit("(")) return false;
    c.spaces();
    if (!c.number(f.number[k])) return false;
    c.spaces();
    if (!c.lit(",")) return false;
    c.spaces();
    if (!c.number(f.number[k + 1])) return false;
    c.spaces();
    if (!c.lit(")")) return false;
  }
  const std::size_t end = c.pos();
  c.spaces();
  f.end = (c.lit("</box>") || c.lit("<|box_end|>")) ? c.pos() : end;
  f.syntax = Syntax::kPairs;
  return true;
}

// [x1, y1, x2, y2] or (x1, y1, x2, y2); commas or spaces between values.
bool read_list(std::string_view t, std::size_t at, Found& f) {
  Cursor c(t, at);
  const bool square = c.lit("[");
  if (!square && !c.lit("(")) return false;
  c.spaces();
  for (int k = 0; k < 4; ++k) {
    if (k > 0 && !c.separator()) return false;
    if (!c.number(f.number[k])) return false;
  }
  c.spaces();
  if (!c.lit(square ? "]" : ")")) return false;
  f.end = c.pos();
  f.syntax = Syntax::kList;
  return true;
}

struct FoundBoxes {
  Found first{};
  std::size_t count = 0;
};

// The first box and how many there are in reading order; scanning resumes after each box found.
// Each start position reads a bounded number of characters (spaces and digits are capped), so
// this is linear in the text.
FoundBoxes find_boxes(std::string_view text) {
  FoundBoxes out;
  Found f{};  // reused: each reader sets every field it reports on success but `tagged`
  std::size_t i = 0;
  while (i < text.size()) {
    const char ch = text[i];
    if (ch != '{' && ch != '<' && ch != '(' && ch != '[') {
      ++i;
      continue;
    }
    f.begin = i;
    f.tagged = false;
    bool ok = false;
    if (ch == '{' || ch == '<') ok = read_braces(text, i, f);
    if (!ok && (ch == '<' || ch == '(')) {
      f.tagged = false;
      ok = read_pairs(text, i, f);
    }
    if (!ok && (ch == '[' || ch == '(')) {
      f.tagged = false;
      ok = read_list(text, i, f);
    }
    if (ok) {
      if (out.count++ == 0) {
        out.first = f;
        for (int k = 0; k < 4; ++k) out.first.v[k] = to_double(f.number[k]);
      }
      i = f.end;
    } else {
      ++i;
    }
  }
  return out;
}

std::string_view syntax_text(Syntax s, bool tagged) {
  switch (s) {
    case Syntax::kBraces: return "{<x1><y1><x2><y2>}";
    case Syntax::kPairs: return tagged ? "<box>(x1,y1),(x2,y2)</box>" : "(x1,y1),(x2,y2)";
    case Syntax::kList: return "[x1, y1, x2, y2]";
  }
  return "";
}

BoxFormat infer_format(const Found& f) {
  if (f.syntax == Syntax::kBraces) return BoxFormat::kGrid100;
  bool all_unit = true, any_fraction = false;
  for (double v : f.v) {
    all_unit = all_unit && v <= 1.0;
    any_fraction = any_fraction || v != std::floor(v);
  }
  if (f.syntax == Syntax::kPairs) return all_unit && any_fraction ? BoxFormat::kFraction : BoxFormat::kGrid1000;
  return all_unit ? BoxFormat::kFraction : BoxFormat::kPixel;
}

std::string fmt_number(double v, int decimals) {
  char buf[64];
  if (decimals == 0 || v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", decimals == 0 ? std::round(v) : v);
  else
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void add_note(std::string& note, const std::string& more) {
  if (!note.empty()) note += "; ";
  note += more;
}

}  // namespace

std::optional<BoxFormat> box_format_from_name(std::string_view name) {
  if (name == "auto") return BoxFormat::kAuto;
  if (name == "grid100") return BoxFormat::kGrid100;
  if (name == "grid1000") return BoxFormat::kGrid1000;
  if (name == "fraction") return BoxFormat::kFraction;
  if (name == "pixel") return BoxFormat::kPixel;
  return std::nullopt;
}

std::string_view box_format_name(BoxFormat format) {
  switch (format) {
    case BoxFormat::kAuto: return "auto";
    case BoxFormat::kGrid100: return "grid100";
    case BoxFormat::kGrid1000: return "grid1000";
    case BoxFormat::kFraction: return "fraction";
    case BoxFormat::kPixel: return "pixel";
  }
  return "auto";
}

BoxParse parse_box_answer(std::string_view text, BoxFormat format,
                          const std::optional<std::array<double, 2>>& image_size) {
  BoxParse out;
  const auto boxes = find_boxes(text);
  out.n_boxes = static_cast<int>(boxes.count);
  if (boxes.count == 0) {
    out.note = "no box found; expected {<x1><y1><x2><y2>}, <box>(x1,y1),(x2,y2)</box> or [x1, y1, x2, y2]";
    return out;
  }
  const Found& f = boxes.first;
  if (boxes.count > 1) add_note(out.note, std::to_string(boxes.count) + " boxes; used the first");

  BoxFormat used = format;
  if (format == BoxFormat::kAuto) {
    used = infer_format(f);
    add_note(out.note, "auto: read " + std::string(syntax_text(f.syntax, f.tagged)) + " as " +
                           std::string(box_format_name(used)));
  }
  out.format = std::string(box_format_name(used));

  double limit_x = 0, limit_y = 0;
  switch (used) {
    case BoxFormat::kGrid100: limit_x = limit_y = 100; break;
    case BoxFormat::kGrid1000: limit_x = limit_y = 1000; break;
    case BoxFormat::kFraction: limit_x = limit_y = 1; break;
    case BoxFormat::kPixel:
    case BoxFormat::kAuto:
      limit_x = image_size ? (*image_size)[0] : INFINITY;
      limit_y = image_size ? (*image_size)[1] : INFINITY;
      break;
  }
  for (int i = 0; i < 4; ++i) {
    const double limit = i % 2 == 0 ? limit_x : limit_y;
    if (!std::isfinite(f.v[i]) || f.v[i] < 0 || f.v[i] > limit) {
      add_note(out.note, "coordinate " + fmt_number(f.v[i], 4) + " outside the " + out.format +
                             " range 0-" + fmt_number(limit, 0));
      return out;
    }
  }

  double sx = 1, sy = 1;
  if (used != BoxFormat::kPixel) {
    if (!image_size) {
      add_note(out.note, "image size unknown; cannot convert a " + out.format + " box to pixels");
      return out;
    }
    sx = (*image_size)[0] / limit_x;
    sy = (*image_size)[1] / limit_y;
  }
  Box b{f.v[0] * sx, f.v[1] * sy, f.v[2] * sx, f.v[3] * sy};
  if (b.x1 > b.x2 || b.y1 > b.y2) {
    add_note(out.note, "swapped corners put in order");
    if (b.x1 > b.x2) std::swap(b.x1, b.x2);
    if (b.y1 > b.y2) std::swap(b.y1, b.y2);
  }
  out.box = b;
  out.ok = true;
  return out;
}

std::string format_box(const Box& box, BoxFormat format,
                       const std::optional<std::array<double, 2>>& image_size) {
  if (format == BoxFormat::kAuto) format = BoxFormat::kGrid100;
  if (!image_size) format = BoxFormat::kPixel;
  const double grid = format == BoxFormat::kGrid100 ? 100 : format == BoxFormat::kGrid1000 ? 1000 : 1;
  const double sx = format == BoxFormat::kPixel ? 1 : grid / (*image_size)[0];
  const double sy = format == BoxFormat::kPixel ? 1 : grid / (*image_size)[1];
  const int decimals = format == BoxFormat::kFraction ? 3 : format == BoxFormat::kPixel ? 2 : 0;
  const std::string v[4] = {fmt_number(box.x1 * sx, decimals), fmt_number(box.y1 * sy, decimals),
                            fmt_number(box.x2 * sx, decimals), fmt_number(box.y2 * sy, decimals)};
  if (format == BoxFormat::kGrid100) return "{<" + v[0] + "><" + v[1] + "><" + v[2] + "><" + v[3] + ">}";
  if (format == BoxFormat::kGrid1000) return "<box>(" + v[0] + "," + v[1] + "),(" + v[2] + "," + v[3] + ")</box>";
  return "[" + v[0] + ", " + v[1] + ", " + v[2] + ", " + v[3] + "]";
}

}  // namespace imaxbench
