#include "backends/mrope_positions.h"

#include <algorithm>

namespace imaxbench {

MropePositions mrope_positions(std::size_t length, std::size_t image_start, int rows, int cols) {
  MropePositions out;
  for (auto& p : out.planes) p.resize(length);
  const auto s = static_cast<std::int64_t>(image_start);
  const std::int64_t n = std::int64_t{rows} * cols;
  // The text after the image continues from the image's largest position + 1.
  const std::int64_t shift = std::max(rows, cols) - n;
  for (std::size_t k = 0; k < length; ++k) {
    const auto i = static_cast<std::int64_t>(k) - s;
    if (i >= 0 && i < n) {
      out.planes[0][k] = s;
      out.planes[1][k] = s + i / cols;
      out.planes[2][k] = s + i % cols;
    } else {
      const std::int64_t p = i < 0 ? static_cast<std::int64_t>(k) : static_cast<std::int64_t>(k) + shift;
      for (auto& plane : out.planes) plane[k] = p;
    }
  }
  out.next = static_cast<std::int64_t>(length) + (length > image_start ? shift : 0);
  return out;
}

}  // namespace imaxbench
