// File reading and format dispatch for decode_image; the decoders live in png_decode.cc,
// jpeg_decode.cc and dicom_decode.cc.
#include "images/image_decode.h"

#include "images/image_source.h"
#include "core/regular_file.h"

namespace imaxbench {

std::string unrecognised_image_problem(std::uint64_t size) {
  if (size == 0) return "image file is empty; replace it with the real image";
  return "not a PNG, JPEG or DICOM image (unrecognised file signature; DICOM files need the 128-byte "
         "preamble and 'DICM' marker); convert it to PNG";
}

void check_pixel_cap(std::int64_t width, std::int64_t height, const std::string& path,
                     const DecodeLimits& limits) {
  if (width <= 0 || height <= 0)
    throw ImageError(path, "image header gives an empty size " + std::to_string(width) + "x" +
                               std::to_string(height) + " (corrupt file?)");
  // Compared by division: a header's 32-bit fields (PNG, DICOM) can make width*height overflow.
  if (width > limits.max_pixels / height)
    throw ImageError(path, "image header claims " + std::to_string(width) + "x" +
                               std::to_string(height) + " pixels, more than the limit of " +
                               std::to_string(limits.max_pixels) +
                               " (a corrupt file or decompression bomb; downscale the image if it "
                               "is genuine)");
}

GrayImage decode_image_bytes(std::span<const unsigned char> bytes, const std::string& path,
                             const DecodeLimits& limits) {
  MemorySource source(bytes);
  const std::string format = image_format_of(source);
  if (format == "png") return decode_png(bytes, path, limits);
  if (format == "jpeg") return decode_jpeg(bytes, path, limits);
  if (format == "dicom") return decode_dicom(bytes, path, limits);
  throw ImageError(path, unrecognised_image_problem(bytes.size()));
}

GrayImage decode_image(const std::string& path, const DecodeLimits& limits) {
  std::string problem;
  RegularFile file(path, "image", problem);  // a FIFO or device would block or never end
  if (!file.is_open()) {
    if (problem.find("file not found") != std::string::npos)
      problem = "image file not found; check the 'image' path in the split file";
    throw ImageError(path, problem);
  }
  if (file.size() > static_cast<std::uint64_t>(limits.max_file_bytes))
    throw ImageError(path, "image file is " + std::to_string(file.size()) +
                               " bytes, more than the limit of " + std::to_string(limits.max_file_bytes));
  std::vector<unsigned char> bytes(static_cast<std::size_t>(file.size()));
  const std::size_t got = file.read(bytes.data(), bytes.size());
  if (got != bytes.size())
    throw ImageError(path, "image file could not be read completely (" + std::to_string(got) + " of " +
                               std::to_string(bytes.size()) + " bytes)");
  return decode_image_bytes(bytes, path, limits);
}

}  // namespace imaxbench
