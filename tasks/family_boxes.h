// The native box syntax of each model family, read exactly (no other family's syntax is taken for
// it) and written the same way for prompts that carry a box:
//   qwen2_vl    <|box_start|>(x1,y1),(x2,y2)<|box_end|>  0-1000 grid of the model's input; the
//               tags are optional (a decoder that skips special tokens drops them) and the
//               <|object_ref_start|>..<|object_ref_end|> phrase before them is ordinary text
//   qwen2_5_vl  {"bbox_2d": [x1, y1, x2, y2], ...}       pixels of the model's input image; found
//               by its "bbox_2d" key, so ```json fences, a list of such objects and a "label" key
//               around it do not matter
//   llava       [x1, y1, x2, y2]                        0-1 fractions of the model's input, commas
//   minigpt_v2  {<x1><y1><x2><y2>}                      0-100 grid (MiniGPT-v2, Uni-Med); braces
//               optional
// Values are returned as written; range checks and the mapping to original pixels are
// box_parser.cc's. Cost: O(n) in the text's length (tasks/box_scan.h: each try reads a bounded
// number of characters).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "tasks/box_parser.h"

namespace imaxbench {

struct FamilyBoxes {
  int count = 0;                    // boxes in the family's syntax in the text
  std::array<double, 4> first{};    // the first one's values, as written
};

// `family` is one of kQwen2Vl, kQwen25Vl, kLlava, kMiniGptV2; any other format finds nothing.
FamilyBoxes find_family_boxes(std::string_view text, BoxFormat family);

// `values` in the family's units (grid cells, pixels or fractions), written in its syntax:
// integers for the grids and pixels, two decimals for fractions.
std::string write_family_box(const std::array<double, 4>& values, BoxFormat family);

// The family's syntax with placeholders, for messages: "[x1, y1, x2, y2]".
std::string_view family_syntax(BoxFormat family);

// The family's grid (1000, 100, 1), or 0 for pixels of the model's input (qwen2_5_vl).
double family_grid(BoxFormat family);

}  // namespace imaxbench
