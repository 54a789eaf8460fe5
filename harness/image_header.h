// Image dimensions from the file header alone (no decoding), so validating a split with thousands
// of images stays fast. Recognises PNG, JPEG and DICOM by their signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace imaxbench {

struct ImageHeader {
  std::string format;  // "png", "jpeg", "dicom"
  std::int64_t width = 0;
  std::int64_t height = 0;
};

// On failure returns nullopt and sets `problem` to what a person should fix. A header giving an
// empty size or more pixels than the decoder's cap (DecodeLimits) is a failure too, so a split
// check and the decoder agree; truncated pixel data is found only by decoding
// (`imaxbench inspect --decode`). Only regular files are opened (harness/regular_file.h).
std::optional<ImageHeader> read_image_header(const std::string& path, std::string& problem);
// The same from the first bytes of a file (64 KiB are read from disk).
std::optional<ImageHeader> image_header_of_bytes(std::span<const unsigned char> bytes,
                                                 std::string& problem);

}  // namespace imaxbench
