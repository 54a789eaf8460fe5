#include "backends/image_index.h"

#include <cmath>
#include <numbers>

#include "core/rng.h"
#include "core/error.h"

namespace imaxbench {

std::string TinyImageEmbedding::signature() const {
  return "tiny" + std::to_string(side) + "|bilinear|std|gauss" + std::to_string(dim) +
         "|seed:" + std::to_string(seed) + "|l2|v1";
}

std::vector<float> gaussian_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  SplitMix64 rng(seed);
  constexpr double kTwoPow53 = 9007199254740992.0;
  std::vector<float> out(rows * cols);
  for (auto& v : out) {
    // u1 in (0, 1] keeps the log finite; u2 in [0, 1).
    double u1 = (static_cast<double>(rng.next() >> 11) + 1.0) / kTwoPow53;
    double u2 = static_cast<double>(rng.next() >> 11) / kTwoPow53;
    v = static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
  }
  return out;
}

TinyImageEmbedding make_tiny_image_embedding(int side, int dim, std::uint64_t seed) {
  if (side < 1 || dim < 1) throw Error("tiny image embedding: side and dim must be >= 1");
  TinyImageEmbedding e;
  e.side = side;
  e.dim = dim;
  e.seed = seed;
  e.projection = gaussian_matrix(static_cast<std::size_t>(side) * side, dim, seed);
  return e;
}

std::vector<float> embed_reference(const TinyImageEmbedding& e, std::span<const float> pixels) {
  const std::size_t in = static_cast<std::size_t>(e.side) * e.side;
  if (pixels.size() != in) throw Error("embed_reference: expected " + std::to_string(in) + " pixels");
  double mean = 0, var = 0;
  for (float p : pixels) mean += p;
  mean /= in;
  for (float p : pixels) var += (p - mean) * (p - mean);
  double scale = 1.0 / (std::sqrt(var / in) + 1e-6);
  std::vector<double> out(e.dim, 0.0);
  for (std::size_t i = 0; i < in; ++i) {
    double x = (pixels[i] - mean) * scale;
    for (int j = 0; j < e.dim; ++j) out[j] += x * e.projection[i * e.dim + j];
  }
  double norm = 0;
  for (double v : out) norm += v * v;
  norm = std::max(std::sqrt(norm), 1e-12);
  std::vector<float> result(e.dim);
  for (int j = 0; j < e.dim; ++j) result[j] = static_cast<float>(out[j] / norm);
  return result;
}

}  // namespace imaxbench
