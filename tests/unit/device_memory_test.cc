// Peak device memory (backends/torch/device_memory.h) on the CPU: there is no device allocator, so
// the function and both LibTorch backends report nothing (profile prints "n/a", JSON null) rather
// than a zero that would read as a measurement. The GPU side is tests/gpu/device_memory_gpu_test.cc.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "backends/backend.h"
#include "harness/backend_registry.h"
#include "backends/device.h"
#include "torchscript_test_support.h"

#ifdef IMAXBENCH_HAVE_TORCH
#include "backends/torch/device_memory.h"
#endif

namespace imaxbench {
namespace {

#ifdef IMAXBENCH_HAVE_TORCH
TEST(DeviceMemory, CpuHasNoDeviceAllocator) {
  const DeviceSpec cpu = parse_device("cpu");
  reset_peak_device_memory(cpu);  // a no-op, and must not throw
  EXPECT_EQ(peak_device_memory_bytes(cpu), std::nullopt);
}

TEST(DeviceMemory, BaselineOnCpuReportsNone) {
  BackendOptions o;
  o.model = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/gallery/suite.json";
  o.device = "cpu";
  auto backend = make_backend("baseline", o);
  EXPECT_EQ(backend->peak_device_memory_bytes(), std::nullopt);
}

TEST(DeviceMemory, TorchscriptOnCpuReportsNoneAfterInference) {
  std::string why_not;
  const std::string package = testing::shared_demo_package(why_not);
  if (package.empty()) GTEST_SKIP() << why_not;
  BackendOptions o;
  o.model = package;
  o.device = "cpu";
  o.max_new_tokens = 2;
  auto backend = make_backend("torchscript", o);
  const auto requests = testing::demo_requests(*backend, 2);
  const auto responses = backend->infer(requests);
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].error, "");
  EXPECT_EQ(backend->peak_device_memory_bytes(), std::nullopt);
}
#endif

}  // namespace
}  // namespace imaxbench
