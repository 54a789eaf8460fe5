// Peak device memory of the torchscript backend on a CUDA GPU (label gpu): after loading it is the
// model's reserved memory (> 0), a batch can only raise it, and after a reset a single request
// peaks no higher than the batch did. Skipped without a GPU LibTorch can use, and on hip:N, where
// the figure is not read yet (docs/profile.md). Device: $IMAXBENCH_TEST_GPU_DEVICE or cuda:0.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "backends/torchscript.h"
#include "tests/unit/torchscript_test_support.h"

#ifdef IMAXBENCH_HAVE_TORCH
#include "backends/torch/device_memory.h"
#endif

namespace imaxbench {
namespace {

#ifdef IMAXBENCH_HAVE_TORCH
TEST(DeviceMemoryGpu, TorchscriptPeakFollowsTheWork) {
  if (torch_gpu_count() == 0) GTEST_SKIP() << "LibTorch sees no GPU";
  const char* env_dev = std::getenv("IMAXBENCH_TEST_GPU_DEVICE");
  const std::string gpu = env_dev && *env_dev ? env_dev : "cuda:0";
  const DeviceSpec spec = parse_device(gpu);
  if (spec.kind == DeviceSpec::Kind::kHip) GTEST_SKIP() << "peak device memory is not read on ROCm yet";
  std::string why;
  const std::string package = testing::shared_demo_package(why);
  if (package.empty()) GTEST_SKIP() << "no model package: " << why;

  BackendOptions o;
  o.model = package;
  o.device = gpu;
  auto backend = make_torchscript_backend(o, TorchScriptSettings{});
  const auto loaded = backend->peak_device_memory_bytes();
  ASSERT_TRUE(loaded.has_value()) << "a CUDA LibTorch build must report the caching allocator's peak";
  EXPECT_GT(*loaded, 0) << "the model's weights are on the device";

  const auto batch = testing::demo_requests(*backend, 16);
  for (const auto& r : backend->infer(batch)) ASSERT_EQ(r.error, "");
  const auto after_batch = backend->peak_device_memory_bytes();
  ASSERT_TRUE(after_batch.has_value());
  EXPECT_GE(*after_batch, *loaded);

  reset_peak_device_memory(spec);
  for (const auto& r : backend->infer(std::span<const Request>(batch.data(), 1))) ASSERT_EQ(r.error, "");
  const auto after_one = peak_device_memory_bytes(spec);
  ASSERT_TRUE(after_one.has_value());
  EXPECT_GT(*after_one, 0);
  EXPECT_LE(*after_one, *after_batch) << "one request peaked above a batch of 16 after the reset";
  std::cout << "[ device memory ] " << gpu << " reserved peak: loaded " << *loaded << " B, batch of 16 "
            << *after_batch << " B, one request after reset " << *after_one << " B\n";
}
#else
TEST(DeviceMemoryGpu, NeedsLibTorch) { GTEST_SKIP() << "built without LibTorch"; }
#endif

}  // namespace
}  // namespace imaxbench
