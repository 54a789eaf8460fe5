// File reading and format dispatch for decode_image; the decoders live in png_decode.cc,
// jpeg_decode.cc and dicom_decode.cc.
#include "harness/image_decode.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

namespace imaxbench {

namespace {

bool has_prefix(std::span<const unsigned char> b, std::size_t at, std::string_view sig) {
  if (b.size() < at + sig.size()) return false;
  return std::equal(sig.begin(), sig.end(), b.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char s, unsigned char c) { return static_cast<unsigned char>(s) == c; });
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

void check_pixel_cap(std::int64_t width, std::int64_t height, const std::string& path,
                     const DecodeLimits& limits) {
  if (width <= 0 || height <= 0)
    throw ImageError(path, "image header gives an empty size " + std::to_string(width) + "x" +
                               std::to_string(height) + " (corrupt file?)");
  // Both factors fit in 32 bits for every supported format, so the product cannot overflow.
  if (width * height > limits.max_pixels)
    throw ImageError(path, "image header claims " + std::to_string(width) + "x" +
                               std::to_string(height) + " pixels, more than the limit of " +
                               std::to_string(limits.max_pixels) +
                               " (a corrupt file or decompression bomb; downscale the image if it "
                               "is genuine)");
}

GrayImage decode_image_bytes(std::span<const unsigned char> bytes, const std::string& path,
                             const DecodeLimits& limits) {
  if (bytes.empty()) throw ImageError(path, "image file is empty; replace it with the real image");
  if (has_prefix(bytes, 0, "\x89PNG\r\n\x1a\n")) return decode_png(bytes, path, limits);
  if (has_prefix(bytes, 0, "\xff\xd8\xff")) return decode_jpeg(bytes, path, limits);
  if (has_prefix(bytes, 128, "DICM")) return decode_dicom(bytes, path, limits);
  throw ImageError(path,
                   "not a PNG, JPEG or DICOM image (unrecognised file signature; DICOM files need "
                   "the 128-byte preamble and 'DICM' marker); convert it to PNG");
}

GrayImage decode_image(const std::string& path, const DecodeLimits& limits) {
  namespace fs = std::filesystem;
  if (path.find('\0') != std::string::npos)
    throw ImageError(path, "image path contains a NUL byte; fix the 'image' field");
  std::error_code ec;
  // stat before open: opening a FIFO or device would block or never end.
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st))
    throw ImageError(path, "image file not found; check the 'image' path in the split file");
  if (!fs::is_regular_file(st))
    throw ImageError(path, "image path is not a regular file (a directory, device or pipe)");
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw ImageError(path, "cannot read the image file size: " + ec.message());
  if (size > static_cast<std::uintmax_t>(limits.max_file_bytes))
    throw ImageError(path, "image file is " + std::to_string(size) + " bytes, more than the limit of " +
                               std::to_string(limits.max_file_bytes));
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw ImageError(path, "cannot open the image file (permissions?)");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  std::size_t got = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), file.get());
  if (got != bytes.size())
    throw ImageError(path, "image file could not be read completely (" + std::to_string(got) + " of " +
                               std::to_string(size) + " bytes)");
  return decode_image_bytes(bytes, path, limits);
}

}  // namespace imaxbench
