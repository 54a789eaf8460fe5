#include "tasks/box_frame.h"

#include <algorithm>
#include <cmath>

namespace imaxbench {

BoxFrame box_frame(const std::optional<ModelInput>& input, const std::array<double, 2>& image_size) {
  const auto [w, h] = image_size;
  BoxFrame f;
  if (!input || input->width <= 0 || input->height <= 0 || !(w > 0) || !(h > 0)) {
    f.input_w = w;
    f.input_h = h;
    return f;
  }
  f.input_w = input->width;
  f.input_h = input->height;
  if (input->shortest_edge <= 0) {
    f.scale_x = w / input->width;
    f.scale_y = h / input->height;
    return f;
  }
  if (input->pad_square) {  // expand2square, then the square through CLIPImageProcessor
    const double side = std::max(w, h), edge = input->shortest_edge;
    f.scale_x = f.scale_y = side / edge;
    f.offset_x = std::floor((edge - input->width) / 2) * f.scale_x - std::floor((side - w) / 2);
    f.offset_y = std::floor((edge - input->height) / 2) * f.scale_y - std::floor((side - h) / 2);
    return f;
  }
  // CLIPImageProcessor: get_resize_output_image_size(default_to_square=False), then center_crop.
  const double edge = input->shortest_edge;
  const double resized_w = w <= h ? edge : std::floor(edge * w / h);
  const double resized_h = w <= h ? std::floor(edge * h / w) : edge;
  f.scale_x = w / resized_w;
  f.scale_y = h / resized_h;
  f.offset_x = std::floor((resized_w - input->width) / 2) * f.scale_x;
  f.offset_y = std::floor((resized_h - input->height) / 2) * f.scale_y;
  return f;
}

Box to_original(const Box& b, const BoxFrame& f) {
  return {f.offset_x + b.x1 * f.scale_x, f.offset_y + b.y1 * f.scale_y,
          f.offset_x + b.x2 * f.scale_x, f.offset_y + b.y2 * f.scale_y};
}

Box to_input(const Box& b, const BoxFrame& f) {
  auto x = [&](double v) { return std::clamp((v - f.offset_x) / f.scale_x, 0.0, f.input_w); };
  auto y = [&](double v) { return std::clamp((v - f.offset_y) / f.scale_y, 0.0, f.input_h); };
  return {x(b.x1), y(b.y1), x(b.x2), y(b.y2)};
}

}  // namespace imaxbench
