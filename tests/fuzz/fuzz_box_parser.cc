// Fuzzes the box parser (tasks/box_parser.h). The first input byte picks the format (bits 0-2,
// mod 5) and the image size (bits 3-4: none, 320x256, 1000x800, 1x1); the rest is the answer.
// A box it accepts must be finite, ordered and, with a known image, inside it; it is then written
// back in every format (format_box).
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "tasks/box_parser.h"

namespace {

constexpr imaxbench::BoxFormat kFormats[] = {
    imaxbench::BoxFormat::kAuto, imaxbench::BoxFormat::kGrid100, imaxbench::BoxFormat::kGrid1000,
    imaxbench::BoxFormat::kFraction, imaxbench::BoxFormat::kPixel};

const std::optional<std::array<double, 2>> kSizes[] = {
    std::nullopt, std::array<double, 2>{320, 256}, std::array<double, 2>{1000, 800},
    std::array<double, 2>{1, 1}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const unsigned sel = imaxbench::fuzz::take_byte(data, size);
  const imaxbench::BoxFormat format = kFormats[(sel & 7u) % 5];
  const auto& image_size = kSizes[(sel >> 3) & 3u];
  const imaxbench::BoxParse p =
      imaxbench::parse_box_answer(imaxbench::fuzz::as_view(data, size), format, image_size);
  if (!p.ok) return 0;
  const imaxbench::Box& b = p.box;
  bool bad = !(std::isfinite(b.x1) && std::isfinite(b.y1) && std::isfinite(b.x2) && std::isfinite(b.y2)) ||
             b.x1 > b.x2 || b.y1 > b.y2 || p.n_boxes < 1;
  if (image_size) {
    const double eps = 1e-6 * ((*image_size)[0] + (*image_size)[1]);
    bad = bad || b.x1 < -eps || b.y1 < -eps || b.x2 > (*image_size)[0] + eps || b.y2 > (*image_size)[1] + eps;
  }
  if (bad) {
    std::fprintf(stderr, "accepted box [%g, %g, %g, %g] (n_boxes %d, %s)\n", b.x1, b.y1, b.x2, b.y2,
                 p.n_boxes, p.format.c_str());
    std::abort();
  }
  for (imaxbench::BoxFormat f : kFormats) {
    const std::string written = imaxbench::format_box(b, f, image_size);
    (void)written;
  }
  return 0;
}
