// The DICOM grayscale pipeline after decoding, as plain math so it is tested without DCMTK:
// stored value -> Modality LUT (rescale) -> VOI (window) -> presentation (MONOCHROME1 inversion).
// Formulas from DICOM PS3.3 C.11.2.1.2 (window) and C.11.1.1.2 (rescale).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace imaxbench {

enum class VoiFunction { kLinear, kLinearExact, kSigmoid };

struct VoiWindow {
  double center = 0;
  double width = 0;
  VoiFunction function = VoiFunction::kLinear;
};

// A window PS3.3 allows: width >= 1 for LINEAR, width > 0 for LINEAR_EXACT and SIGMOID.
bool voi_window_valid(const VoiWindow& w);

// Maps a modality value x onto [0, y_max] (real valued, before rounding):
//   LINEAR:       x <= c - 0.5 - (w-1)/2 -> 0;  x > c - 0.5 + (w-1)/2 -> y_max;
//                 else ((x - (c - 0.5)) / (w-1) + 0.5) * y_max
//   LINEAR_EXACT: x <= c - w/2 -> 0;  x > c + w/2 -> y_max;  else ((x - c) / w + 0.5) * y_max
//   SIGMOID:      y_max / (1 + exp(-4 (x - c) / w))
double apply_voi(double x, const VoiWindow& w, double y_max);

// Everything needed to turn a stored monochrome sample into an output value 0..65535.
struct GrayscalePipeline {
  int bits_stored = 16;              // 1..16
  bool is_signed = false;            // Pixel Representation 1: two's complement in bits_stored
  double slope = 1;                  // Rescale Slope (0 is invalid and treated as 1)
  double intercept = 0;              // Rescale Intercept
  std::optional<VoiWindow> window;   // absent or invalid: min..max of the modality values
  bool invert = false;               // MONOCHROME1
  // Stored values excluded from min..max: Pixel Padding Value through Pixel Padding Range Limit
  // (either order, inclusive); only the value when there is no range limit.
  std::optional<std::int32_t> padding_value, padding_limit;
};

// The stored value of a masked bit pattern (sign-extended when is_signed).
std::int32_t stored_value(std::uint32_t pattern, const GrayscalePipeline& p);

// Builds the 2^bits_stored entry table from stored bit pattern to output 0..65535 (rounded to
// nearest). `present` lists which patterns occur, for the min..max fallback; it may be empty
// when a valid window is set. Without a window and with all modality values equal, every
// output is 0.
std::vector<std::uint16_t> build_gray_lut(const GrayscalePipeline& p, const std::vector<std::uint8_t>& present);

}  // namespace imaxbench
