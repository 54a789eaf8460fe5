// Images as `data:` URLs for HTTP backends. 8-bit PNG and JPEG files go as they are (their bytes,
// their MIME type); DICOM and 16-bit PNG are decoded (images/image_decode.h: VOI window, luma)
// and re-encoded as 8-bit grayscale PNG, because servers read images with PIL, which cannot open
// DICOM and turns 16-bit gray into a clipped white RGB image. On request (--image-max-side,
// --image-format) an image is scaled down (PIL bicubic, aspect kept) and re-encoded as PNG or JPEG.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace imaxbench {

struct DataUrlOptions {
  int max_side = 0;            // > 0: an image whose longer side is larger is scaled to this
  std::string format = "auto"; // auto: as the file is (PNG after any conversion); png; jpeg
  int jpeg_quality = 90;
};

// Throws UsageError for a negative max_side or an unknown format.
void check_data_url_options(const DataUrlOptions& options);

struct DataUrl {
  std::string url;        // data:image/png;base64,...
  std::string mime;       // image/png or image/jpeg
  bool converted = false; // decoded and re-encoded (DICOM, 16-bit PNG, scaled, format asked for)
};

// Reads and (when needed) converts one file. Throws Error or ImageError naming the file.
DataUrl make_image_data_url(const std::string& path, const DataUrlOptions& options = {});

// A thread-safe cache in front of make_image_data_url: the same image is asked for by several
// tasks (image-centric suites), and a DICOM decode should not be repeated per question. Oldest
// entries go first once the cached URLs pass `max_bytes`.
class DataUrlCache {
 public:
  explicit DataUrlCache(DataUrlOptions options = {}, std::size_t max_bytes = 256u << 20)
      : options_(std::move(options)), max_bytes_(max_bytes) {}
  std::shared_ptr<const DataUrl> get(const std::string& path);

 private:
  DataUrlOptions options_;
  std::mutex mu_;
  std::size_t max_bytes_, bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const DataUrl>> map_;
  std::deque<std::string> order_;
};

}  // namespace imaxbench
