// A minimal PNG encoder (8-bit grayscale, zlib-compressed IDAT) for images that must be re-encoded
// before they go over HTTP: DICOM and 16-bit PNG. Servers built on PIL turn 16-bit gray into RGB by
// clipping at 255 (a white image), so everything leaves as 8-bit.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace imaxbench {

struct GrayImage;  // images/image_decode.h

// PNG bytes of a width x height 8-bit grayscale image (row-major pixels). Throws Error when the
// size does not match the pixel count.
std::string encode_png_gray8(int width, int height, std::span<const std::uint8_t> pixels);

// The image scaled to 0..255 (round(v * 255 / max_value)) and encoded as above.
std::string encode_png_gray8(const GrayImage& image);

}  // namespace imaxbench
