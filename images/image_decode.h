// Decodes PNG, JPEG and DICOM files into one grayscale pixel buffer. Chest X-rays are grayscale;
// colour sources are reduced to luma so every backend sees the same single-channel input, and
// resizing/normalisation happen later on the target device (images/preprocess.h is the CPU
// reference). The format comes from the file signature, never the extension.
//
// Rules, per format (tests/unit/image_decode_test.cc pins each one):
// - PNG (libpng): 8-bit sources give max_value 255, 16-bit give 65535; 1/2/4-bit gray is expanded
//   to 0..255 by bit replication; palette is expanded to RGB. Colour becomes ITU-R BT.601 luma of
//   the stored (gamma-encoded) values, Y = (19595 R + 38470 G + 7471 B + 32768) >> 16, the rule of
//   libjpeg's YCbCr conversion and PIL's convert("L") (not libpng's linear-light default). Alpha
//   and tRNS are ignored, as PIL's convert("L") does.
// - JPEG (libjpeg-turbo): decoded straight to JCS_GRAYSCALE (the Y channel), max_value 255. Any
//   libjpeg warning (premature end of data, corrupt entropy data) is an error: the pixels would be
//   partly invented.
// - DICOM (DCMTK): first frame; Modality LUT (Rescale Slope/Intercept, in double precision), then
//   the first VOI window (Window Center/Width with VOI LUT Function LINEAR, LINEAR_EXACT or SIGMOID,
//   DICOM PS3.3 C.11.2.1.2) or, without a window, the min..max of the modality values (Pixel
//   Padding Value excluded); MONOCHROME1 is inverted after VOI so bright always means dense.
//   The result always fills 0..65535 (max_value 65535) whatever Bits Stored is, so neither a 12-bit
//   nor a 16-bit source loses precision before normalisation. RGB DICOM becomes BT.601 luma.
//   Compressed transfer syntaxes decode when DCMTK has a codec (RLE, JPEG baseline/extended/
//   lossless, JPEG-LS); others (JPEG 2000, ...) raise an ImageError naming the transfer syntax.
// - Decompression bombs: width*height is checked against DecodeLimits::max_pixels from the header,
//   before any pixel buffer is allocated.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"

namespace imaxbench {

// A decoded grayscale image. Pixels row-major, values 0..max_value (255 for 8-bit sources,
// 65535 for 16-bit PNG and for every DICOM, see above).
struct GrayImage {
  int width = 0;
  int height = 0;
  std::uint16_t max_value = 255;
  std::vector<std::uint16_t> pixels;
  std::string format;  // "png", "jpeg", "dicom"
};

struct DecodeLimits {
  std::int64_t max_pixels = 100'000'000;         // decompression-bomb cap on width*height
  std::int64_t max_file_bytes = 2'000'000'000;  // decode_image refuses larger files unread
};

// An image that cannot be decoded: the message names the file, what is wrong and what to do.
class ImageError : public Error {
 public:
  ImageError(std::string path, std::string problem)
      : Error(printable(path) + ": " + problem), path_(std::move(path)), problem_(std::move(problem)) {}

  const std::string& path() const { return path_; }
  const std::string& problem() const { return problem_; }

  // The path as the message shows it: control bytes (NUL, ESC, newline) become \xNN so a hostile
  // file name can neither cut the message short nor drive the terminal.
  static std::string printable(const std::string& path) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : path) {
      if (c < 0x20 || c == 0x7f) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
    return out;
  }

 private:
  std::string path_;
  std::string problem_;
};

// Reads and decodes a file. Throws ImageError naming the path and what is wrong.
GrayImage decode_image(const std::string& path, const DecodeLimits& limits = {});

// Same, from bytes in memory (path used only for messages).
GrayImage decode_image_bytes(std::span<const unsigned char> bytes, const std::string& path,
                             const DecodeLimits& limits = {});

// Per-format entry points, used by decode_image_bytes after signature detection. Exposed for
// tests and benchmarks; callers normally use decode_image.
GrayImage decode_png(std::span<const unsigned char> bytes, const std::string& path,
                     const DecodeLimits& limits);
GrayImage decode_jpeg(std::span<const unsigned char> bytes, const std::string& path,
                      const DecodeLimits& limits);
GrayImage decode_dicom(std::span<const unsigned char> bytes, const std::string& path,
                       const DecodeLimits& limits);

// BT.601 luma with PIL's fixed-point rounding; exact for 8- and 16-bit samples.
inline std::uint16_t luma601(std::uint32_t r, std::uint32_t g, std::uint32_t b) {
  return static_cast<std::uint16_t>((19595u * r + 38470u * g + 7471u * b + 32768u) >> 16);
}

// The problem for a file that is empty or has no PNG, JPEG or DICOM signature.
std::string unrecognised_image_problem(std::uint64_t size);

// Throws ImageError when width*height exceeds the cap (or a dimension is not positive).
void check_pixel_cap(std::int64_t width, std::int64_t height, const std::string& path,
                     const DecodeLimits& limits);

}  // namespace imaxbench
