// Where a model's input image lies in the original image, so that a box a model answers in its
// own input's coordinates (Qwen2.5-VL's pixels, or any grid of a centre-cropped input) is mapped
// back to the original's pixels, and a box put into a prompt is mapped the other way.
//
// A backend that resizes images itself says how (ModelInput); the frame of one sample follows
// from that and the sample's image size:
//   stretch (shortest_edge = 0): the original is resized to width x height, so
//     scale = original / input per axis, offset 0;
//   shortest_edge_crop (CLIPImageProcessor): the short side is resized to shortest_edge and the
//     long side to floor(shortest_edge * long / short), then a width x height window is cut from
//     the centre at floor((resized - crop) / 2); scale = original / resized, offset = that
//     window's corner in original pixels;
//   pad_square (LLaVA's image_aspect_ratio "pad", with shortest_edge_crop): the original is first
//     pasted into a max(w, h) square at floor((side - w) / 2), floor((side - h) / 2), which then
//     goes through shortest_edge_crop; scale = side / resized side, offset = the crop's corner in
//     the square minus the paste offset (a box in the pad lies outside the original).
// Without a ModelInput the input is taken to be the original (identity frame): what a server
// that resizes out of sight (openai backend) is assumed to answer in.
#pragma once

#include <array>
#include <optional>

#include "core/model_conventions.h"
#include "core/sample.h"

namespace imaxbench {

// original = offset + input * scale, per axis.
struct BoxFrame {
  double input_w = 0, input_h = 0;    // the model's input image, pixels
  double scale_x = 1, scale_y = 1;    // original pixels per input pixel
  double offset_x = 0, offset_y = 0;  // the input's corner in the original (a crop), pixels
};

// The frame of one image of `image_size` (width, height) pixels.
BoxFrame box_frame(const std::optional<ModelInput>& input, const std::array<double, 2>& image_size);

// Input pixels -> original pixels.
Box to_original(const Box& input_box, const BoxFrame& frame);
// Original pixels -> input pixels, clamped to the input image (a box partly outside a centre
// crop keeps the part the model sees).
Box to_input(const Box& original_box, const BoxFrame& frame);

}  // namespace imaxbench
