// What a backend asks of the harness's image stage (backends/backend.h: Backend::image_spec()),
// kept here so that preprocessing (images/preprocess.h) and the image cache need no backend.
#pragma once

#include <vector>

namespace imaxbench {

// How a backend wants its images prepared by the harness (resize, normalise, channels), so that
// decoding and preprocessing run in the harness's parallel stage, overlapping inference.
struct ImageSpec {
  // How the image reaches width x height (images/preprocess.h, images/pil_resize.h).
  enum class Resize {
    kBilinear,             // torch interpolate (align_corners=false, no antialias) of pixel / max_value
    kPilBicubic,           // PIL bicubic stretch of the 8-bit image, then v / 255 (fixed-grid processors)
    kPilShortestEdgeCrop,  // CLIPImageProcessor: PIL bicubic to shortest_edge, centre crop, v / 255
    // LLaVA's image_aspect_ratio "pad": padded to a square with pad_values[c], then as above; one
    // plane per channel, as the pad's colour differs per channel.
    kPilPadSquareShortestEdgeCrop,
  };
  int width = 0, height = 0;  // output size (the crop size for kPilShortestEdgeCrop)
  int channels = 1;           // the gray value repeated per channel
  float mean = 0, std = 1;    // (resized value in [0, 1] - mean) / std
  Resize resize = Resize::kBilinear;
  int shortest_edge = 0;  // kPilShortestEdgeCrop: the short side before cropping (> 0)
  std::vector<int> pad_values;  // kPilPadSquareShortestEdgeCrop: the pad's 8-bit value, one per channel
};

}  // namespace imaxbench
