// Fuzzes the image header reader (images/image_header.h: libpng, libjpeg and DCMTK reading only
// the header) on arbitrary PNG/JPEG/DICOM-like files, from a file (read_image_header, bytes read on
// demand) and from bytes in memory (image_header_of_bytes), which must agree on every file. An
// accepted header must name a known format and positive dimensions; a refused one a problem.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include "fuzz_support.h"
#include "images/image_header.h"
#include "core/error.h"

namespace {

void check(const std::optional<imaxbench::ImageHeader>& h, const std::string& problem, const char* what) {
  if (h && (h->width <= 0 || h->height <= 0 ||
            (h->format != "png" && h->format != "jpeg" && h->format != "dicom"))) {
    std::fprintf(stderr, "%s accepted header %s %lldx%lld\n", what, h->format.c_str(),
                 static_cast<long long>(h->width), static_cast<long long>(h->height));
    std::abort();
  }
  if (!h && problem.empty()) {
    std::fprintf(stderr, "%s refused a header without saying why\n", what);
    std::abort();
  }
  if (!h) imaxbench::fuzz::check_message(problem, what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static imaxbench::fuzz::MemFile file("image");
  const std::string& path = file.write(data, size);
  std::string file_problem, bytes_problem;
  std::optional<imaxbench::ImageHeader> from_file, from_bytes;
  try {
    from_file = imaxbench::read_image_header(path, file_problem);
  } catch (const imaxbench::Error& e) {
    std::fprintf(stderr, "read_image_header threw instead of returning a problem: %s\n", e.what());
    std::abort();
  }
  check(from_file, file_problem, "read_image_header");
  try {
    from_bytes = imaxbench::image_header_of_bytes(std::span<const unsigned char>(data, size), bytes_problem);
  } catch (const imaxbench::Error& e) {
    std::fprintf(stderr, "image_header_of_bytes threw instead of returning a problem: %s\n", e.what());
    std::abort();
  }
  check(from_bytes, bytes_problem, "image_header_of_bytes");
  const bool same = from_file.has_value() == from_bytes.has_value() &&
                   (!from_file || (from_file->format == from_bytes->format &&
                                   from_file->width == from_bytes->width && from_file->height == from_bytes->height));
  if (!same) {
    std::fprintf(stderr, "read_image_header and image_header_of_bytes disagree (%s / %s)\n",
                 file_problem.c_str(), bytes_problem.c_str());
    std::abort();
  }
  return 0;
}
