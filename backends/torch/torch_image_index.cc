// The baseline's nearest-neighbour index on LibTorch (ATen only, to keep this TU's compile short):
// gallery embeddings computed once on the device; each batch is embedded and compared there.
// Also the one place a DeviceSpec becomes a torch device.
#include <ATen/ATen.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/api/include/torch/version.h>

#include "backends/image_index.h"
#include "backends/torch/libtorch_functions.h"
#include "backends/torch/torch_device.h"
#include "core/error.h"

namespace imaxbench {

namespace {


class TorchImageIndex : public ImageIndex {
 public:
  TorchImageIndex(const DeviceSpec& spec, const TinyImageEmbedding& e, std::span<const float> gallery, std::size_t n)
      : spec_(spec), device_(to_torch_device(spec)), in_dim_(static_cast<std::int64_t>(e.side) * e.side), n_(n) {
    if (gallery.size() != n * static_cast<std::size_t>(in_dim_))
      throw Error("image index: gallery has " + std::to_string(gallery.size()) + " floats, expected " +
                  std::to_string(n * in_dim_));
    c10::InferenceMode no_grad;
    projection_ = host(e.projection, in_dim_, e.dim).to(device_);
    gallery_ = embed(gallery, static_cast<std::int64_t>(n));  // [n, dim]
  }
  std::size_t size() const override { return n_; }

  std::vector<float> similarities(std::span<const float> queries, std::size_t n) override {
    c10::InferenceMode no_grad;
    at::Tensor sims = at::matmul(embed(queries, static_cast<std::int64_t>(n)), gallery_.t());
    sims = sims.to(at::kCPU).contiguous();
    const float* p = sims.data_ptr<float>();
    return std::vector<float>(p, p + sims.numel());
  }

  std::vector<std::pair<std::string, std::string>> versions() const override {
    std::vector<std::pair<std::string, std::string>> v{{"libtorch", TORCH_VERSION}};
    if (spec_.is_gpu()) {
      const auto& hooks = at::detail::getCUDAHooks();
      if (hooks.hasROCM()) v.emplace_back("hip", "rocm");
      else {
        long rt = hooks.versionCUDART();
        v.emplace_back("cuda", std::to_string(rt / 1000) + "." + std::to_string(rt % 1000 / 10));
      }
    }
    return v;
  }

 private:
  static at::Tensor host(std::span<const float> data, std::int64_t rows, std::int64_t cols) {
    // from_blob does not own the memory: clone so the tensor outlives the caller's buffer.
    return at::from_blob(const_cast<float*>(data.data()), {rows, cols}, at::kFloat).clone();
  }
  // Standardise each image, project, L2-normalise (image_index.h).
  at::Tensor embed(std::span<const float> pixels, std::int64_t n) {
    if (pixels.size() != static_cast<std::size_t>(n * in_dim_))
      throw Error("image index: expected " + std::to_string(n * in_dim_) + " query floats, got " +
                  std::to_string(pixels.size()));
    at::Tensor x = host(pixels, n, in_dim_).to(device_);
    at::Tensor mean = x.mean({1}, /*keepdim=*/true);
    at::Tensor centered = x - mean;
    at::Tensor sd = centered.pow(2).mean({1}, true).sqrt();
    at::Tensor z = at::matmul(centered / (sd + 1e-6), projection_);
    return z / z.norm(2, {1}, true).clamp_min(1e-12);
  }

  DeviceSpec spec_;
  at::Device device_;
  std::int64_t in_dim_;
  std::size_t n_;
  at::Tensor projection_, gallery_;
};

}  // namespace

std::unique_ptr<ImageIndex> libtorch::make_image_index(const DeviceSpec& device, const TinyImageEmbedding& embedding,
                                                       std::span<const float> gallery, std::size_t n) {
  return std::make_unique<TorchImageIndex>(device, embedding, gallery, n);
}

}  // namespace imaxbench
