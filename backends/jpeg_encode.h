// A JPEG encoder (libjpeg, 8-bit grayscale, baseline) for images an HTTP backend is asked to send
// as JPEG (--image-format jpeg): smaller requests to a server than PNG at a quality a reader of
// chest X-rays would still accept.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace imaxbench {

// JPEG bytes of a width x height 8-bit grayscale image (row-major pixels) at `quality` (1-100).
// Throws Error when the size does not match the pixel count or libjpeg fails.
std::string encode_jpeg_gray8(int width, int height, std::span<const std::uint8_t> pixels, int quality);

}  // namespace imaxbench
