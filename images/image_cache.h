// The images of a run or profile, decoded and preprocessed once per file: IMAX asks ~7 questions
// of each image (the sample suite: 295 samples on 40 images), and decoding is most of the
// harness's time. Bounded by bytes, least recently used out, so a suite of any size runs in
// bounded memory; a file's preparation runs once even when several threads ask for it at once.
// The pixels are the same bytes a fresh decode gives, so answers do not change.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "images/image_spec.h"
#include "images/image_decode.h"

namespace imaxbench {

struct PreparedImage {
  std::shared_ptr<const GrayImage> image;
  std::vector<float> pixels;  // per the ImageSpec; empty without one
  std::string error;          // why decoding or preprocessing failed ("" when it did not)
  double decode_ms = 0, preprocess_ms = 0;  // what the one preparation took
  std::size_t bytes() const;
};

class ImageCache {
 public:
  static constexpr std::size_t kDefaultBytes = std::size_t{512} << 20;

  // max_bytes 0: no reuse, every get() prepares afresh (a per-sample measurement).
  ImageCache(std::optional<ImageSpec> spec, std::size_t max_bytes = kDefaultBytes);

  // The prepared image of `path`; `prepared_here` is true for the call that did the work (its
  // timings belong to that sample), false for a reuse.
  std::shared_ptr<const PreparedImage> get(const std::string& path, bool& prepared_here);

  std::size_t preparations() const;  // files decoded (failures included)
  std::size_t reuses() const;        // get() calls served without decoding
  double prepared_ms() const;        // decode + preprocess time of all preparations

 private:
  struct Slot;
  std::shared_ptr<const PreparedImage> prepare(const std::string& path) const;
  void evict_locked();

  std::optional<ImageSpec> spec_;
  std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
  std::list<std::string> recent_;  // most recently used first
  std::size_t bytes_ = 0, preparations_ = 0, reuses_ = 0;
  double prepared_ms_ = 0;
};

}  // namespace imaxbench
