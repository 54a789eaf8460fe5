// Fuzzes full image decoding (images/image_decode.h: PNG through libpng, JPEG through libjpeg-turbo,
// DICOM through DCMTK) from bytes in memory, with a 2^20-pixel cap so a header that promises a huge
// image is refused instead of slowing the run. A decoded image must hold width*height pixels, none
// above max_value. The header reader (images/image_header.h) opens each format with the same
// library calls, so a file that decodes must pass its header check with the same format and size
// (the split reader's image_size comes from the header, the pixels from the decoder).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include "fuzz_support.h"
#include "images/image_decode.h"
#include "images/image_header.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static imaxbench::fuzz::MemFile file("image");
  imaxbench::DecodeLimits limits;
  limits.max_pixels = std::int64_t{1} << 20;
  imaxbench::GrayImage image;
  try {
    image = imaxbench::decode_image_bytes(std::span<const unsigned char>(data, size), "fuzz-image", limits);
  } catch (const imaxbench::Error&) {
    return 0;
  }
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height)) {
    std::fprintf(stderr, "decoded %s %dx%d with %zu pixels\n", image.format.c_str(), image.width,
                 image.height, image.pixels.size());
    std::abort();
  }
  for (std::uint16_t v : image.pixels) {
    if (v > image.max_value) {
      std::fprintf(stderr, "pixel %u above max_value %u\n", v, image.max_value);
      std::abort();
    }
  }
  const std::string& path = file.write(data, size);
  std::string problem;
  std::optional<imaxbench::ImageHeader> h;
  try {
    h = imaxbench::read_image_header(path, problem);
  } catch (const imaxbench::Error&) {
  }
  if (!h) {
    std::fprintf(stderr, "decoded %s %dx%d but the header check refuses it: %s\n", image.format.c_str(),
                 image.width, image.height, problem.c_str());
    std::abort();
  }
  if ((h->format != image.format || h->width != image.width || h->height != image.height)) {
    std::fprintf(stderr, "header says %s %lldx%lld, decoder %s %dx%d\n", h->format.c_str(),
                 static_cast<long long>(h->width), static_cast<long long>(h->height),
                 image.format.c_str(), image.width, image.height);
    std::abort();
  }
  return 0;
}
