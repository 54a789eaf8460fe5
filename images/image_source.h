// Where an image's bytes come from, for the per-format readers (png_decode.cc, jpeg_decode.cc,
// dicom_reader.cc): a buffer in memory (decode_image reads the whole file) or an open regular file
// read on demand (a split's header check reads only what the format's library asks for). Both go
// through the same reader, so a header check and a decode of one file cannot disagree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "core/regular_file.h"

namespace imaxbench {

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  virtual std::uint64_t size() const = 0;
  // Up to `n` bytes at `offset`; fewer only at the end. Never throws: the libraries call it from
  // C callbacks, and an unreadable byte is treated as the end of the file.
  virtual std::size_t read_at(std::uint64_t offset, void* out, std::size_t n) noexcept = 0;
  // The whole content when it is already in memory, else null (libjpeg can then read it in place).
  virtual const unsigned char* data() const { return nullptr; }
};

class MemorySource : public ImageSource {
 public:
  explicit MemorySource(std::span<const unsigned char> bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::size_t read_at(std::uint64_t offset, void* out, std::size_t n) noexcept override {
    if (offset >= bytes_.size()) return 0;
    n = std::min<std::size_t>(n, bytes_.size() - static_cast<std::size_t>(offset));
    if (n) std::memcpy(out, bytes_.data() + offset, n);
    return n;
  }
  const unsigned char* data() const override { return bytes_.data(); }

 private:
  std::span<const unsigned char> bytes_;
};

class FileSource : public ImageSource {
 public:
  explicit FileSource(RegularFile& file) : file_(file) {}
  std::uint64_t size() const override { return file_.size(); }
  std::size_t read_at(std::uint64_t offset, void* out, std::size_t n) noexcept override {
    return file_.read_at(offset, out, n);
  }

 private:
  RegularFile& file_;
};

// The format a file's first bytes announce ("png", "jpeg", "dicom"), or "" for none of them. The
// extension is never looked at: a PNG named .dcm is a PNG.
std::string image_format_of(ImageSource& source);

}  // namespace imaxbench
