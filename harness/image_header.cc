#include "harness/image_header.h"

#include <algorithm>

#include <cstdint>
#include <span>
#include <vector>

#include "harness/image_decode.h"
#include "harness/regular_file.h"

namespace imaxbench {

namespace {

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
std::uint16_t be16(const unsigned char* p) { return std::uint16_t((p[0] << 8) | p[1]); }
std::uint16_t le16(const unsigned char* p) { return std::uint16_t(p[0] | (p[1] << 8)); }
std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
         (std::uint32_t(p[3]) << 24);
}

std::optional<ImageHeader> png_header(std::span<const unsigned char> b, std::string& problem) {
  if (b.size() < 24 || be32(&b[12]) != 0x49484452u) {  // "IHDR"
    problem = "PNG file is truncated or has no IHDR chunk";
    return std::nullopt;
  }
  return ImageHeader{"png", be32(&b[16]), be32(&b[20])};
}

std::optional<ImageHeader> jpeg_header(std::span<const unsigned char> b, std::string& problem) {
  std::size_t i = 2;
  while (i + 9 < b.size()) {
    if (b[i] != 0xFF) break;
    unsigned char marker = b[i + 1];
    if (marker == 0xFF) { ++i; continue; }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) { i += 2; continue; }
    std::uint16_t len = be16(&b[i + 2]);
    bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) return ImageHeader{"jpeg", int(be16(&b[i + 7])), int(be16(&b[i + 5]))};
    i += 2 + len;
  }
  problem = "JPEG file has no frame header (truncated or corrupt)";
  return std::nullopt;
}

// Scans explicit-VR little-endian elements after the 132-byte preamble for Rows/Columns.
std::optional<ImageHeader> dicom_header(std::span<const unsigned char> b, std::string& problem) {
  int rows = 0, cols = 0;
  bool have_rows = false, have_cols = false;  // a repeated element keeps its first value, as DCMTK does
  std::size_t i = 132;
  // The File Meta Information ends where its group length (0002,0000) says; DCMTK reads whatever
  // lies inside as meta information, not as the dataset, so Rows/Columns there do not count.
  std::size_t meta_end = 0;
  if (b.size() >= 144 && le16(&b[132]) == 0x0002 && le16(&b[134]) == 0x0000 && b[136] == 'U' && b[137] == 'L' &&
      le16(&b[138]) == 4)
    meta_end = 144 + static_cast<std::size_t>(le32(&b[140]));
  while (i + 8 <= b.size()) {
    std::uint16_t group = le16(&b[i]), element = le16(&b[i + 2]);
    const bool in_meta = i < meta_end;
    if (group == 0x7FE0) break;  // pixel data: header is over
    std::string vr(reinterpret_cast<const char*>(&b[i + 4]), 2);
    bool explicit_vr = vr[0] >= 'A' && vr[0] <= 'Z' && vr[1] >= 'A' && vr[1] <= 'Z';
    std::size_t value_at, length;
    if (explicit_vr && (vr == "OB" || vr == "OW" || vr == "OF" || vr == "SQ" || vr == "UT" || vr == "UN")) {
      if (i + 12 > b.size()) break;
      length = le32(&b[i + 8]);
      value_at = i + 12;
    } else if (explicit_vr) {
      length = le16(&b[i + 6]);
      value_at = i + 8;
    } else {
      length = le32(&b[i + 4]);
      value_at = i + 8;
    }
    if (length == 0xFFFFFFFFu) break;  // undefined-length sequence: stop, dimensions come before
    if (!in_meta && group == 0x0028 && value_at + 2 <= b.size()) {
      if (element == 0x0010 && !have_rows) rows = le16(&b[value_at]), have_rows = true;
      if (element == 0x0011 && !have_cols) cols = le16(&b[value_at]), have_cols = true;
    }
    i = value_at + length;
  }
  if (rows <= 0 || cols <= 0) {
    problem = "DICOM file has no Rows/Columns before its pixel data";
    return std::nullopt;
  }
  return ImageHeader{"dicom", cols, rows};
}

}  // namespace

std::optional<ImageHeader> image_header_of_bytes(std::span<const unsigned char> b,
                                                 std::string& problem) {
  static const unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::optional<ImageHeader> header;
  if (b.size() >= 8 && std::equal(kPng, kPng + 8, b.begin())) header = png_header(b, problem);
  else if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) header = jpeg_header(b, problem);
  else if (b.size() >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M')
    header = dicom_header(b, problem);
  else problem = "not a PNG, JPEG or DICOM image (unrecognised file signature)";
  if (!header) return std::nullopt;
  // The decoder's own limits, so that what passes here also decodes (or fails on its pixels).
  try {
    check_pixel_cap(header->width, header->height, "", DecodeLimits{});
  } catch (const ImageError& e) {
    problem = e.problem();
    return std::nullopt;
  }
  return header;
}

std::optional<ImageHeader> read_image_header(const std::string& path, std::string& problem) {
  RegularFile in(path, "image", problem);
  if (!in.is_open()) return std::nullopt;
  std::vector<unsigned char> b(65536);
  b.resize(in.read(b.data(), b.size()));
  auto header = image_header_of_bytes(b, problem);
  if (!header) problem += ": " + ImageError::printable(path);
  return header;
}

}  // namespace imaxbench
