#include "tasks/box_parser.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "tasks/box_scan.h"
#include "tasks/family_boxes.h"

namespace imaxbench {
namespace {

using box_scan::Cursor;
using box_scan::to_double;

enum class Syntax { kBraces, kPairs, kList };

struct Found {
  Syntax syntax;
  std::size_t begin = 0, end = 0;
  std::string_view number[4];   // the values' characters, read into v only for the first box
  double v[4] = {0, 0, 0, 0};
  bool tagged = false;  // <box> or <|box_start|> around a pair box
};

// {<x1><y1><x2><y2>}, braces optional (MiniGPT-v2's syntax, box_scan::read_braces).
bool read_braces(std::string_view t, std::size_t at, Found& f) {
  if (!box_scan::read_braces(t, at, f.number, f.end)) return false;
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

// The parse succeeds with `b`, its corners put in order (the note says so when they were not).
BoxParse& accept(BoxParse& out, Box b) {
  if (b.x1 > b.x2 || b.y1 > b.y2) {
    add_note(out.note, "swapped corners put in order");
    if (b.x1 > b.x2) std::swap(b.x1, b.x2);
    if (b.y1 > b.y2) std::swap(b.y1, b.y2);
  }
  out.box = b;
  out.ok = true;
  return out;
}

}  // namespace

namespace {

struct NamedFormat {
  std::string_view name;
  BoxFormat format;
};
constexpr NamedFormat kFormats[] = {
    {"auto", BoxFormat::kAuto},         {"grid100", BoxFormat::kGrid100},
    {"grid1000", BoxFormat::kGrid1000}, {"fraction", BoxFormat::kFraction},
    {"pixel", BoxFormat::kPixel},       {"qwen2_vl", BoxFormat::kQwen2Vl},
    {"qwen2_5_vl", BoxFormat::kQwen25Vl}, {"llava", BoxFormat::kLlava},
    {"minigpt_v2", BoxFormat::kMiniGptV2}};

// A family box read in its grid: the limits its values must lie in and the input pixels per unit.
struct FamilyScale {
  double limit_x, limit_y, per_unit_x, per_unit_y;
};

FamilyScale family_scale(BoxFormat family, const BoxFrame& frame) {
  const double grid = family_grid(family);
  if (grid == 0) return {frame.input_w, frame.input_h, 1, 1};  // pixels of the input
  return {grid, grid, frame.input_w / grid, frame.input_h / grid};
}

// The family formats: the first box of the family's syntax, checked against its grid, mapped from
// the model's input to the original image.
BoxParse parse_family_box(std::string_view text, BoxFormat family,
                          const std::optional<std::array<double, 2>>& image_size,
                          const std::optional<ModelInput>& input) {
  BoxParse out;
  out.format = std::string(box_format_name(family));
  const FamilyBoxes found = find_family_boxes(text, family);
  out.n_boxes = found.count;
  if (found.count == 0) {
    out.note = "no box found; expected " + std::string(family_syntax(family)) + " (" + out.format + ")";
    return out;
  }
  if (found.count > 1) add_note(out.note, std::to_string(found.count) + " boxes; used the first");
  if (!image_size && family_grid(family) != 0) {
    add_note(out.note, "image size unknown; cannot convert a " + out.format + " box to pixels");
    return out;
  }
  const BoxFrame frame = image_size ? box_frame(input, *image_size) : BoxFrame{INFINITY, INFINITY};
  const FamilyScale sc = family_scale(family, frame);
  for (int i = 0; i < 4; ++i) {
    const double v = found.first[i], limit = i % 2 == 0 ? sc.limit_x : sc.limit_y;
    if (!std::isfinite(v) || v < 0 || v > limit) {
      add_note(out.note, "coordinate " + fmt_number(v, 4) + " outside the " + out.format + " range 0-" +
                             fmt_number(limit, 0));
      return out;
    }
  }
  const auto& v = found.first;
  Box b = Box{v[0] * sc.per_unit_x, v[1] * sc.per_unit_y, v[2] * sc.per_unit_x, v[3] * sc.per_unit_y};
  if (image_size) b = to_original(b, frame);
  return accept(out, b);
}

}  // namespace

std::optional<BoxFormat> box_format_from_name(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return f.format;
  return std::nullopt;
}

std::string_view box_format_name(BoxFormat format) {
  for (const auto& f : kFormats)
    if (f.format == format) return f.name;
  return "auto";
}

std::string_view box_format_names() {
  return "auto, grid100, grid1000, fraction, pixel, qwen2_vl, qwen2_5_vl, llava, minigpt_v2";
}

bool is_family_format(BoxFormat format) {
  return format == BoxFormat::kQwen2Vl || format == BoxFormat::kQwen25Vl || format == BoxFormat::kLlava ||
         format == BoxFormat::kMiniGptV2;
}

BoxParse parse_box_answer(std::string_view text, BoxFormat format,
                          const std::optional<std::array<double, 2>>& image_size,
                          const std::optional<ModelInput>& input) {
  if (is_family_format(format)) return parse_family_box(text, format, image_size, input);
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
    default:  // pixel (auto was resolved above; family formats never reach here)
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
  return accept(out, b);
}

std::string format_box(const Box& box, BoxFormat format,
                       const std::optional<std::array<double, 2>>& image_size,
                       const std::optional<ModelInput>& input) {
  if (is_family_format(format) && image_size) {
    const BoxFrame frame = box_frame(input, *image_size);
    const Box in = to_input(box, frame);
    const FamilyScale sc = family_scale(format, frame);
    return write_family_box({in.x1 / sc.per_unit_x, in.y1 / sc.per_unit_y, in.x2 / sc.per_unit_x,
                             in.y2 / sc.per_unit_y}, format);
  }
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
