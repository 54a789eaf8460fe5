// Reads a bounding box out of a model's answer and converts it to pixels, and writes a pixel box
// in the grid a model expects (for prompts that carry a box).
//
// Generic formats (grid100, grid1000, fraction, pixel, auto), relative to the original image.
// Syntaxes (the first box in the text is used; n_boxes counts all of them):
//   {<x1><y1><x2><y2>}                    MiniGPT-v2 / Uni-Med, native grid 0-100 (braces optional)
//   <box>(x1,y1),(x2,y2)</box>            Qwen-VL, native grid 0-1000; also <|box_start|>..<|box_end|>
//                                         and the bare pair form (x1,y1),(x2,y2)
//   [x1, y1, x2, y2] or (x1, y1, x2, y2)  0-1 fractions or pixels (commas or spaces)
// With an explicit format every syntax is read in that grid. With "auto" the grid comes from the
// syntax: braces -> grid100, pairs -> grid1000 (0-1 values -> fraction), lists -> fraction when all
// values are <= 1, else pixel.
//
// Family formats (qwen2_vl, qwen2_5_vl, llava, minigpt_v2; tasks/family_boxes.h): only the
// family's own syntax is read, in its grid of the MODEL'S INPUT image, and mapped back to the
// original through the input's frame (tasks/box_frame.h; identity without a ModelInput).
//
// For both: the first box wins (n_boxes counts the rest); a value outside the grid (or a pixel
// outside a known image) makes the answer unparsed; swapped corners are put in order.
//
// Cost: O(n) time and O(1) extra memory in the answer's length n. The scanner tries the syntaxes
// at each '{' '<' '(' '[' (family formats: at their own start characters) and each try reads a
// bounded number of characters (runs of spaces inside a box are capped at 64 and numbers at 24
// digits before and after the point); only the first box and the count are kept.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "tasks/box_frame.h"
#include "core/sample.h"

namespace imaxbench {

enum class BoxFormat {
  kAuto, kGrid100, kGrid1000, kFraction, kPixel,  // generic, in the original image's frame
  kQwen2Vl, kQwen25Vl, kLlava, kMiniGptV2,        // a family's own syntax, in its input's frame
};

// "auto, grid100, grid1000, fraction, pixel, qwen2_vl, qwen2_5_vl, llava, minigpt_v2", for messages.
std::string_view box_format_names();
bool is_family_format(BoxFormat format);

std::optional<BoxFormat> box_format_from_name(std::string_view name);  // nullopt when unknown
std::string_view box_format_name(BoxFormat format);

struct BoxParse {
  bool ok = false;
  Box box;                 // pixels
  int n_boxes = 0;         // boxes found in the text
  std::string format;      // grid the box was read in ("grid100", ...)
  std::string note;        // why it failed, or what was assumed
};

// `input`: how the backend made its input image; used by the family formats only.
BoxParse parse_box_answer(std::string_view text, BoxFormat format,
                          const std::optional<std::array<double, 2>>& image_size,
                          const std::optional<ModelInput>& input = std::nullopt);

// A pixel box in `format`'s syntax and grid: grid100 (and auto) `{<x1><y1><x2><y2>}`, grid1000
// `<box>(x1,y1),(x2,y2)</box>`, fraction `[0.123, ...]`, pixel `[x1, y1, x2, y2]`, a family
// format as tasks/family_boxes.h writes it, in the model's input frame. Grids need the image size;
// without it the box is written in pixels ([x1, y1, x2, y2]).
std::string format_box(const Box& box, BoxFormat format,
                       const std::optional<std::array<double, 2>>& image_size,
                       const std::optional<ModelInput>& input = std::nullopt);

}  // namespace imaxbench
