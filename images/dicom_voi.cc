#include "images/dicom_voi.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace imaxbench {

bool voi_window_valid(const VoiWindow& w) {
  if (!std::isfinite(w.center) || !std::isfinite(w.width)) return false;
  return w.function == VoiFunction::kLinear ? w.width >= 1 : w.width > 0;
}

double apply_voi(double x, const VoiWindow& w, double y_max) {
  const double c = w.center, width = w.width;
  switch (w.function) {
    case VoiFunction::kLinear: {
      if (x <= c - 0.5 - (width - 1) / 2) return 0;
      if (x > c - 0.5 + (width - 1) / 2) return y_max;
      return ((x - (c - 0.5)) / (width - 1) + 0.5) * y_max;  // width > 1 here
    }
    case VoiFunction::kLinearExact: {
      if (x <= c - width / 2) return 0;
      if (x > c + width / 2) return y_max;
      return ((x - c) / width + 0.5) * y_max;
    }
    case VoiFunction::kSigmoid:
      return y_max / (1 + std::exp(-4 * (x - c) / width));
  }
  return 0;
}

std::int32_t stored_value(std::uint32_t pattern, const GrayscalePipeline& p) {
  if (p.is_signed && (pattern >> (p.bits_stored - 1)) & 1u)
    return static_cast<std::int32_t>(pattern) - (std::int32_t{1} << p.bits_stored);
  return static_cast<std::int32_t>(pattern);
}

std::vector<std::uint16_t> build_gray_lut(const GrayscalePipeline& p, const std::vector<std::uint8_t>& present) {
  const std::uint32_t count = std::uint32_t{1} << p.bits_stored;
  const double slope = p.slope == 0 || !std::isfinite(p.slope) ? 1 : p.slope;
  const double intercept = std::isfinite(p.intercept) ? p.intercept : 0;
  auto modality = [&](std::uint32_t pattern) { return stored_value(pattern, p) * slope + intercept; };

  VoiWindow window;
  bool flat = false;
  if (p.window && voi_window_valid(*p.window)) {
    window = *p.window;
  } else {
    // Min..max of the modality values that occur, padding excluded, as a LINEAR_EXACT window:
    // y = (x - min) / (max - min) * y_max.
    std::int32_t pad_lo = 1, pad_hi = 0;  // empty range unless padding is set
    if (p.padding_value) {
      pad_lo = std::min(*p.padding_value, p.padding_limit.value_or(*p.padding_value));
      pad_hi = std::max(*p.padding_value, p.padding_limit.value_or(*p.padding_value));
    }
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::uint32_t pattern = 0; pattern < count && pattern < present.size(); ++pattern) {
      if (!present[pattern]) continue;
      std::int32_t s = stored_value(pattern, p);
      if (s >= pad_lo && s <= pad_hi) continue;
      double m = modality(pattern);
      lo = std::min(lo, m);
      hi = std::max(hi, m);
    }
    flat = !(hi > lo);
    window = {(lo + hi) / 2, hi - lo, VoiFunction::kLinearExact};
  }

  constexpr double kMax = 65535;
  std::vector<std::uint16_t> lut(count);
  for (std::uint32_t pattern = 0; pattern < count; ++pattern) {
    double y = flat ? 0 : std::clamp(apply_voi(modality(pattern), window, kMax), 0.0, kMax);
    auto v = static_cast<std::uint16_t>(std::lround(y));
    lut[pattern] = p.invert ? static_cast<std::uint16_t>(65535 - v) : v;
  }
  return lut;
}

}  // namespace imaxbench
