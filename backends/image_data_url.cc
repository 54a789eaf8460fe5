#include "backends/image_data_url.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>

#include "backends/base64.h"
#include "backends/jpeg_encode.h"
#include "backends/png_encode.h"
#include "images/pil_resize.h"
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

void check_data_url_options(const DataUrlOptions& o) {
  if (o.max_side < 0) throw UsageError("--image-max-side must be >= 0 (0: images as they are)");
  if (o.format != "auto" && o.format != "png" && o.format != "jpeg")
    throw UsageError("--image-format must be auto, png or jpeg (got '" + o.format + "')");
  if (o.jpeg_quality < 1 || o.jpeg_quality > 100) throw UsageError("JPEG quality must be 1-100");
}

DataUrl make_image_data_url(const std::string& path, const DataUrlOptions& options) {
  const std::string bytes = read_file(path);
  const bool png8 = is_png(bytes) && png_bit_depth(bytes) >= 1 && png_bit_depth(bytes) <= 8;
  const bool as_is = options.format == "auto" ? is_jpeg(bytes) || png8
                                              : (options.format == "jpeg" ? is_jpeg(bytes) : png8);
  DataUrl out;
  if (as_is && options.max_side == 0) {
    out.mime = is_jpeg(bytes) ? "image/jpeg" : "image/png";
    out.url = "data:" + out.mime + ";base64," + base64_encode(bytes);
    return out;
  }
  // DICOM, 16-bit PNG, another format asked for, or an image to scale (and to look at first: one
  // already small enough goes as it is); decode_image rejects anything else with a message.
  const auto span = std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  const GrayImage image = decode_image_bytes(span, path);
  const int longer = std::max(image.width, image.height);
  const bool scale = options.max_side > 0 && longer > options.max_side;
  if (as_is && !scale) {
    out.mime = is_jpeg(bytes) ? "image/jpeg" : "image/png";
    out.url = "data:" + out.mime + ";base64," + base64_encode(bytes);
    return out;
  }
  std::vector<std::uint8_t> pixels = to_8bit(image);
  int w = image.width, h = image.height;
  if (scale) {
    // The longer side becomes max_side, the other keeps the aspect ratio (rounded, at least 1).
    const double f = static_cast<double>(options.max_side) / longer;
    const int nw = image.width >= image.height ? options.max_side : std::max(1, static_cast<int>(std::lround(w * f)));
    const int nh = image.height > image.width ? options.max_side : std::max(1, static_cast<int>(std::lround(h * f)));
    pixels = pil_resize_bicubic(pixels.data(), w, h, nw, nh);
    w = nw, h = nh;
  }
  const bool jpeg = options.format == "jpeg";
  const std::string encoded = jpeg ? encode_jpeg_gray8(w, h, pixels, options.jpeg_quality) : encode_png_gray8(w, h, pixels);
  out.mime = jpeg ? "image/jpeg" : "image/png";
  out.converted = true;
  out.url = "data:" + out.mime + ";base64," + base64_encode(encoded);
  return out;
}

std::shared_ptr<const DataUrl> DataUrlCache::get(const std::string& path) {
  {
    std::lock_guard lock(mu_);
    if (auto it = map_.find(path); it != map_.end()) return it->second;
  }
  // Built outside the lock so other threads keep going; two threads may build the same URL once.
  auto made = std::make_shared<const DataUrl>(make_image_data_url(path, options_));
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
