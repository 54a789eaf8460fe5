#include "tasks/family_boxes.h"

#include <cmath>
#include <cstdio>

#include "tasks/box_scan.h"

namespace imaxbench {
namespace {

using box_scan::Cursor;

using Numbers = std::string_view[4];

// (x1,y1),(x2,y2) with optional <|box_start|> .. <|box_end|> around it.
bool read_qwen2_vl(std::string_view t, std::size_t at, Numbers& n, std::size_t& end) {
  Cursor c(t, at);
  if (c.lit("<|box_start|>")) c.spaces();
  for (int k = 0; k < 4; k += 2) {
    if (k > 0) {
      c.spaces();
      if (!c.lit(",")) return false;
      c.spaces();
    }
    if (!c.lit("(")) return false;
    c.spaces();
    if (!c.number(n[k])) return false;
    c.spaces();
    if (!c.lit(",")) return false;
    c.spaces();
    if (!c.number(n[k + 1])) return false;
    c.spaces();
    if (!c.lit(")")) return false;
  }
  end = c.pos();
  c.spaces();
  if (c.lit("<|box_end|>")) end = c.pos();
  return true;
}

// [x1, y1, x2, y2], commas between the values.
bool read_llava(std::string_view t, std::size_t at, Numbers& n, std::size_t& end) {
  Cursor c(t, at);
  if (!c.lit("[")) return false;
  for (int k = 0; k < 4; ++k) {
    c.spaces();
    if (k > 0) {
      if (!c.lit(",")) return false;
      c.spaces();
    }
    if (!c.number(n[k])) return false;
  }
  c.spaces();
  if (!c.lit("]")) return false;
  end = c.pos();
  return true;
}

// "bbox_2d": [x1, y1, x2, y2]: the key, then LLaVA's bracketed list.
bool read_qwen2_5_vl(std::string_view t, std::size_t at, Numbers& n, std::size_t& end) {
  Cursor c(t, at);
  if (!c.lit("\"bbox_2d\"")) return false;
  c.spaces();
  if (!c.lit(":")) return false;
  c.spaces();
  return read_llava(t, c.pos(), n, end);
}

using Reader = bool (*)(std::string_view, std::size_t, Numbers&, std::size_t&);

// The first character a box of the family can start with, and its reader.
struct Syntax {
  std::string_view starts;
  Reader read;
};

bool syntax_of(BoxFormat family, Syntax& s) {
  switch (family) {
    case BoxFormat::kQwen2Vl: s = {"<(", read_qwen2_vl}; return true;
    case BoxFormat::kQwen25Vl: s = {"\"", read_qwen2_5_vl}; return true;
    case BoxFormat::kLlava: s = {"[", read_llava}; return true;
    case BoxFormat::kMiniGptV2: s = {"{<", box_scan::read_braces}; return true;
    default: return false;
  }
}

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, decimals == 0 ? std::round(v) : v);
  return buf;
}

}  // namespace

FamilyBoxes find_family_boxes(std::string_view text, BoxFormat family) {
  FamilyBoxes out;
  Syntax syntax;
  if (!syntax_of(family, syntax)) return out;
  Numbers n;
  std::size_t i = 0;
  while (i < text.size()) {
    i = text.find_first_of(syntax.starts, i);
    if (i == std::string_view::npos) break;
    std::size_t end = 0;
    if (!syntax.read(text, i, n, end)) {
      ++i;
      continue;
    }
    if (out.count++ == 0)
      for (int k = 0; k < 4; ++k) out.first[k] = box_scan::to_double(n[k]);
    i = end;  // a box's characters are not searched again
  }
  return out;
}

std::string write_family_box(const std::array<double, 4>& v, BoxFormat family) {
  switch (family) {
    case BoxFormat::kQwen2Vl:
      return "<|box_start|>(" + fmt(v[0], 0) + "," + fmt(v[1], 0) + "),(" + fmt(v[2], 0) + "," +
             fmt(v[3], 0) + ")<|box_end|>";
    case BoxFormat::kQwen25Vl:
      return "{\"bbox_2d\": [" + fmt(v[0], 0) + ", " + fmt(v[1], 0) + ", " + fmt(v[2], 0) + ", " +
             fmt(v[3], 0) + "]}";
    case BoxFormat::kLlava:
      return "[" + fmt(v[0], 2) + ", " + fmt(v[1], 2) + ", " + fmt(v[2], 2) + ", " + fmt(v[3], 2) + "]";
    case BoxFormat::kMiniGptV2:
      return "{<" + fmt(v[0], 0) + "><" + fmt(v[1], 0) + "><" + fmt(v[2], 0) + "><" + fmt(v[3], 0) + ">}";
    default:
      return "";
  }
}

std::string_view family_syntax(BoxFormat family) {
  switch (family) {
    case BoxFormat::kQwen2Vl: return "<|box_start|>(x1,y1),(x2,y2)<|box_end|>";
    case BoxFormat::kQwen25Vl: return "{\"bbox_2d\": [x1, y1, x2, y2]}";
    case BoxFormat::kLlava: return "[x1, y1, x2, y2]";
    case BoxFormat::kMiniGptV2: return "{<x1><y1><x2><y2>}";
    default: return "";
  }
}

double family_grid(BoxFormat family) {
  switch (family) {
    case BoxFormat::kQwen2Vl: return 1000;
    case BoxFormat::kMiniGptV2: return 100;
    case BoxFormat::kLlava: return 1;
    default: return 0;
  }
}

}  // namespace imaxbench
