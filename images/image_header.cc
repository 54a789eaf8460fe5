#include "images/image_header.h"

#include "images/image_decode.h"

namespace imaxbench {

namespace {

std::optional<ImageHeader> header_of(ImageSource& source, const std::string& path, std::string& problem) {
  try {
    const std::string format = image_format_of(source);
    ImageHeader header;
    if (format == "png") header = read_png_header(source, path);
    else if (format == "jpeg") header = read_jpeg_header(source, path);
    else if (format == "dicom") header = read_dicom_header(source, path);
    else throw ImageError(path, unrecognised_image_problem(source.size()));
    // The decoder's own limits, so that what passes here also decodes (or fails on its pixels).
    check_pixel_cap(header.width, header.height, path, DecodeLimits{});
    return header;
  } catch (const ImageError& e) {
    problem = e.problem();
  } catch (const std::exception& e) {  // std::bad_alloc from a library, say: still one line
    problem = std::string("image header could not be read: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace

std::optional<ImageHeader> image_header_of_bytes(std::span<const unsigned char> bytes,
                                                 std::string& problem) {
  MemorySource source(bytes);
  return header_of(source, "", problem);
}

std::optional<ImageHeader> read_image_header(const std::string& path, std::string& problem) {
  RegularFile in(path, "image", problem);
  if (!in.is_open()) return std::nullopt;
  FileSource source(in);
  auto header = header_of(source, path, problem);
  if (!header) problem += ": " + ImageError::printable(path);
  return header;
}

}  // namespace imaxbench
