#include "images/image_source.h"

#include <algorithm>
#include <string_view>

namespace imaxbench {

std::string image_format_of(ImageSource& source) {
  unsigned char head[132] = {};
  const std::size_t n = source.read_at(0, head, sizeof head);
  auto has = [&](std::size_t at, std::string_view sig) {
    return n >= at + sig.size() &&
           std::equal(sig.begin(), sig.end(), head + at,
                      [](char s, unsigned char c) { return static_cast<unsigned char>(s) == c; });
  };
  if (has(0, "\x89PNG\r\n\x1a\n")) return "png";
  if (has(0, "\xff\xd8\xff")) return "jpeg";
  if (has(128, "DICM")) return "dicom";  // after the 128-byte preamble (DICOM PS3.10 7.1)
  return "";
}

}  // namespace imaxbench
