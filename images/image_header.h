// Image dimensions from the file header alone, so validating a split with thousands of images
// stays fast. Each format's header is read by the library and the very calls its decoder starts
// with (libpng's png_read_info, libjpeg's jpeg_read_header, DCMTK's parser, which skips the pixel
// data), so a header check and a decode cannot disagree about a file. The format comes from the
// file signature, never the extension.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "images/image_source.h"

namespace imaxbench {

struct ImageHeader {
  std::string format;  // "png", "jpeg", "dicom"
  std::int64_t width = 0;
  std::int64_t height = 0;
};

// On failure returns nullopt and sets `problem` to what a person should fix. A header giving an
// empty size or more pixels than the decoder's cap (DecodeLimits) is a failure too, as is anything
// the decoder refuses before reading pixels (a DICOM transfer syntax without a codec, an
// unsupported layout); truncated PNG/JPEG pixel data is found only by decoding (`imaxbench inspect
// --decode`), a truncated DICOM file already here. Only regular files are opened
// (core/regular_file.h), and only the bytes the library asks for are read.
std::optional<ImageHeader> read_image_header(const std::string& path, std::string& problem);
// The same from a file's bytes in memory.
std::optional<ImageHeader> image_header_of_bytes(std::span<const unsigned char> bytes,
                                                 std::string& problem);

// The per-format readers behind both; each throws ImageError (images/image_decode.h).
ImageHeader read_png_header(ImageSource& source, const std::string& path);    // png_decode.cc
ImageHeader read_jpeg_header(ImageSource& source, const std::string& path);   // jpeg_decode.cc
ImageHeader read_dicom_header(ImageSource& source, const std::string& path);  // dicom_reader.cc

// What a build without DCMTK (-DIMAXBENCH_WITH_DICOM=OFF) says about every DICOM file.
std::string no_dicom_support_problem();

}  // namespace imaxbench
