// CPU-vs-GPU parity of the preprocessing kernel (label gpu): skipped when the build has no GPU
// kernels or no device is visible.
#include <cmath>

#include <gtest/gtest.h>

#include "backends/gpu_preprocess.h"
#include "images/preprocess.h"

namespace imaxbench {
namespace {

GrayImage gradient_image(int w, int h, std::uint16_t max_value) {
  GrayImage img;
  img.width = w;
  img.height = h;
  img.max_value = max_value;
  img.pixels.resize(std::size_t(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      img.pixels[std::size_t(y) * w + x] = std::uint16_t((x * 37 + y * 91 + (x * y) % 13) % (max_value + 1));
  return img;
}

// Why the GPU tests cannot run here, or empty when they can.
std::string why_no_gpu() {
  if (gpu_preprocess_platform().empty()) return "built without CUDA/HIP kernels";
  if (gpu_device_count() == 0) return "no GPU device visible";
  return "";
}

TEST(GpuPreprocess, MatchesTheCpuReference) {
  if (auto why = why_no_gpu(); !why.empty()) GTEST_SKIP() << why;
  const GrayImage a = gradient_image(517, 389, 255), b = gradient_image(1024, 1024, 65535),
                  c = gradient_image(224, 224, 4095);
  GpuPreprocessSpec spec;
  spec.out_width = 224;
  spec.out_height = 224;
  spec.channels = 3;
  spec.mean = {0.48145466f, 0.4578275f, 0.40821073f};
  spec.std = {0.26862954f, 0.26130258f, 0.27577711f};
  std::vector<const GrayImage*> batch = {&a, &b, &c};
  const auto gpu = gpu_preprocess_to_host(batch, spec);
  const std::size_t per_image = 3u * 224 * 224;
  ASSERT_EQ(gpu.size(), batch.size() * per_image);
  std::vector<float> cpu(per_image);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    preprocess_gray_to_chw(*batch[i], 224, 224, spec.mean, spec.std, cpu.data());
    double max_diff = 0;
    for (std::size_t k = 0; k < per_image; ++k)
      max_diff = std::max(max_diff, double(std::fabs(cpu[k] - gpu[i * per_image + k])));
    // Same math; only fused multiply-adds on the device may differ in the last bits.
    EXPECT_LT(max_diff, 1e-5) << "image " << i;
  }
}

TEST(GpuPreprocess, RejectsABadSpec) {
  if (auto why = why_no_gpu(); !why.empty()) GTEST_SKIP() << why;
  const GrayImage a = gradient_image(8, 8, 255);
  GpuPreprocessSpec spec;
  spec.out_width = 4;
  spec.out_height = 4;
  spec.channels = 3;
  spec.mean = {0.5f};
  spec.std = {0.5f};
  EXPECT_THROW(gpu_preprocess_to_host({&a}, spec), std::exception);
}

}  // namespace
}  // namespace imaxbench
