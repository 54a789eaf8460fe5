// Image dimensions from the file header alone (no decoding), so validating a split with thousands
// of images stays fast. Recognises PNG, JPEG and DICOM by their signatures.
#pragma once

#include <optional>
#include <string>

namespace imaxbench {

struct ImageHeader {
  std::string format;  // "png", "jpeg", "dicom"
  int width = 0;
  int height = 0;
};

// On failure returns nullopt and sets `problem` to what a person should fix.
std::optional<ImageHeader> read_image_header(const std::string& path, std::string& problem);

}  // namespace imaxbench
