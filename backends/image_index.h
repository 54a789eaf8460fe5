// The baseline's image embedding and its nearest-neighbour index. The embedding is fixed and
// documented (docs/baseline.md) so it is the same on every machine and device:
//   1. the harness resizes the gray image to side x side (bilinear, align_corners=false) in [0, 1];
//   2. each image is standardised (minus its mean, divided by its population std + 1e-6);
//   3. flattened and multiplied by a (side*side) x dim Gaussian matrix drawn from splitmix64 with
//      Box-Muller (never a library RNG, whose streams differ between versions);
//   4. L2-normalised; similarity is the dot product (cosine).
// The index itself runs on LibTorch (backends/torch/), on the run's device.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "backends/device.h"

namespace imaxbench {

struct TinyImageEmbedding {
  int side = 32;
  int dim = 128;
  std::uint64_t seed = 2504'09967;  // IMAX arXiv id
  std::vector<float> projection;    // (side*side) x dim, row-major
  std::string signature() const;    // "tiny32|std|gauss128|seed:250409967|l2|v1"
};

TinyImageEmbedding make_tiny_image_embedding(int side = 32, int dim = 128, std::uint64_t seed = 2504'09967);

// rows x cols standard normal floats: splitmix64 draws, Box-Muller (cosine branch), row-major.
std::vector<float> gaussian_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed);

// The embedding of one image (side*side floats) in plain C++: the reference the torch index is
// tested against.
std::vector<float> embed_reference(const TinyImageEmbedding& embedding, std::span<const float> pixels);

class ImageIndex {
 public:
  virtual ~ImageIndex() = default;
  virtual std::size_t size() const = 0;  // gallery images
  // Cosine similarity of each of `n` queries (side*side floats each, consecutive) to every gallery
  // image: n x size(), row-major, on the host.
  virtual std::vector<float> similarities(std::span<const float> queries, std::size_t n) = 0;
  // Library versions for the run manifest ("libtorch", and "cuda" or "hip" when used).
  virtual std::vector<std::pair<std::string, std::string>> versions() const = 0;
};

// Embeds the gallery (`n` images, side*side floats each) on `device`. Throws Error when the device
// is not usable with this LibTorch (e.g. cuda:0 on a CPU-only build).
std::unique_ptr<ImageIndex> make_torch_image_index(const DeviceSpec& device, const TinyImageEmbedding& embedding,
                                                   std::span<const float> gallery, std::size_t n);

}  // namespace imaxbench
