#include "backends/image_data_url.h"

#include <cstdint>
#include <span>

#include "backends/base64.h"
#include "backends/png_encode.h"
#include "images/image_decode.h"
#include "core/regular_file.h"
#include "core/error.h"

namespace imaxbench {

namespace {

std::string read_file(const std::string& path) {
  std::string problem;
  RegularFile in(path, "the image file", problem);  // a FIFO or device is refused, not read
  if (!in.is_open()) throw ImageError(path, problem);
  return in.read_all(static_cast<std::uint64_t>(DecodeLimits{}.max_file_bytes));
}

bool is_png(const std::string& b) { return b.size() >= 8 && b.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0; }
bool is_jpeg(const std::string& b) { return b.size() >= 3 && b.compare(0, 3, "\xFF\xD8\xFF") == 0; }

// IHDR is the first chunk: signature (8), length (4), "IHDR" (4), width (4), height (4), bit depth.
int png_bit_depth(const std::string& b) {
  return b.size() > 24 && b.compare(12, 4, "IHDR") == 0 ? static_cast<unsigned char>(b[24]) : -1;
}

}  // namespace

DataUrl make_image_data_url(const std::string& path) {
  const std::string bytes = read_file(path);
  DataUrl out;
  if (is_jpeg(bytes)) {
    out.mime = "image/jpeg";
    out.url = "data:image/jpeg;base64," + base64_encode(bytes);
    return out;
  }
  if (is_png(bytes) && png_bit_depth(bytes) >= 1 && png_bit_depth(bytes) <= 8) {
    out.mime = "image/png";
    out.url = "data:image/png;base64," + base64_encode(bytes);
    return out;
  }
  // DICOM, 16-bit PNG, or something decode_image rejects with a message naming the file.
  const auto span = std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  const std::string png = encode_png_gray8(decode_image_bytes(span, path));
  out.mime = "image/png";
  out.converted = true;
  out.url = "data:image/png;base64," + base64_encode(png);
  return out;
}

std::shared_ptr<const DataUrl> DataUrlCache::get(const std::string& path) {
  {
    std::lock_guard lock(mu_);
    if (auto it = map_.find(path); it != map_.end()) return it->second;
  }
  // Built outside the lock so other threads keep going; two threads may build the same URL once.
  auto made = std::make_shared<const DataUrl>(make_image_data_url(path));
  std::lock_guard lock(mu_);
  if (auto it = map_.find(path); it != map_.end()) return it->second;
  if (made->url.size() > max_bytes_) return made;
  map_.emplace(path, made);
  order_.push_back(path);
  bytes_ += made->url.size();
  while (bytes_ > max_bytes_ && !order_.empty()) {
    auto it = map_.find(order_.front());
    bytes_ -= it->second->url.size();
    map_.erase(it);
    order_.pop_front();
  }
  return made;
}

}  // namespace imaxbench
