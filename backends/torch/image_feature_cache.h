// encode_images' output per distinct image, reused by that image's other samples: IMAX asks ~7
// questions of each image, and the vision tower's answer does not depend on the question. Keyed
// by a hash of the image's path and its preprocessed pixels (so by content and preprocessing
// settings); bounded by bytes on the device, least recently used out. Within a batch, a repeated
// image is encoded once too.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "backends/torch/byte_lru.h"

namespace imaxbench {

class ImageFeatureCache {
 public:
  static constexpr std::size_t kDefaultBytes = std::size_t{256} << 20;

  explicit ImageFeatureCache(std::size_t max_bytes) : cache_(max_bytes) {}

  // Features [n, N_img, D] for pixels [n, C, H, W] whose row i shows the image keyed keys[i]; only
  // the rows not cached and not repeating an earlier row go through `encode`. max_bytes 0: all do.
  at::Tensor features(const at::Tensor& pixels, const std::vector<std::uint64_t>& keys,
                      const std::function<at::Tensor(const at::Tensor&)>& encode);

  bool enabled() const { return cache_.enabled(); }
  std::size_t encoded() const { return encoded_; }  // images run through the vision tower
  std::size_t reused() const { return reused_; }    // rows served from an earlier encoding

 private:
  ByteLru<at::Tensor> cache_;  // [N_img, D] on the device per image
  std::size_t encoded_ = 0, reused_ = 0;
};

}  // namespace imaxbench
