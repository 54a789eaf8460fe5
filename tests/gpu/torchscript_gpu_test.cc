// CPU-vs-GPU parity of the torchscript backend's greedy decoding (label gpu), llama.cpp
// test-backend-ops style: the same requests through cpu and the GPU must give the same tokens in
// float32; in bfloat16 the divergence rate is reported, not gated. Skipped without a GPU that
// LibTorch can use. The package: $IMAXBENCH_TEST_MODEL_DIR (exported there when it holds none),
// else the demo exported into the build folder; the GPU: $IMAXBENCH_TEST_GPU_DEVICE or cuda:0.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "backends/torchscript.h"
#include "tests/unit/torchscript_test_support.h"

namespace imaxbench {
namespace {

#ifdef IMAXBENCH_HAVE_TORCH

std::unique_ptr<Backend> make(const std::string& package, const std::string& device, const std::string& dtype) {
  BackendOptions o;
  o.model = package;
  o.device = device;
  o.dtype = dtype;
  return make_torchscript_backend(o, TorchScriptSettings{});
}

struct Timed {
  std::vector<Response> responses;
  double seconds = 0;
  std::int64_t tokens = 0;
};

Timed timed_run(Backend& backend, int n) {
  const auto requests = testing::demo_requests(backend, n);
  backend.infer(std::span<const Request>(requests.data(), 1));  // warm-up: first-call allocations
  const auto t0 = std::chrono::steady_clock::now();
  Timed r;
  r.responses = backend.infer(requests);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& x : r.responses) r.tokens += x.output_tokens;
  return r;
}

TEST(TorchScriptGpu, GreedyTokensMatchTheCpu) {
  if (torch_gpu_count() == 0) GTEST_SKIP() << "LibTorch sees no GPU";
  const char* env_dir = std::getenv("IMAXBENCH_TEST_MODEL_DIR");
  std::string package = env_dir && *env_dir ? env_dir : "", why;
  if (!package.empty()) why = testing::export_demo_package(package);  // exports there unless it holds one
  else package = testing::shared_demo_package(why);
  if (!why.empty()) GTEST_SKIP() << "no model package: " << why;
  const char* env_dev = std::getenv("IMAXBENCH_TEST_GPU_DEVICE");
  const std::string gpu = env_dev && *env_dev ? env_dev : "cuda:0";
  constexpr int kRequests = 16;

  auto cpu32 = make(package, "cpu", "float32");
  auto gpu32 = make(package, gpu, "float32");
  auto gpu16 = make(package, gpu, "bfloat16");
  const Timed c = timed_run(*cpu32, kRequests), g = timed_run(*gpu32, kRequests), h = timed_run(*gpu16, kRequests);
  int diverged = 0;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_EQ(c.responses[i].error, "");
    ASSERT_EQ(g.responses[i].error, "");
    EXPECT_EQ(c.responses[i].text, g.responses[i].text) << "request " << i << ": float32 on cpu vs " << gpu;
    EXPECT_EQ(c.responses[i].output_tokens, g.responses[i].output_tokens) << "request " << i;
    EXPECT_EQ(h.responses[i].error, "");
    diverged += h.responses[i].text != g.responses[i].text;
  }
  const double rate = double(diverged) / kRequests;
  std::cout << "[ torchscript ] float32 cpu == " << gpu << " on " << kRequests << " requests; bfloat16 diverges from "
            << "float32 on " << diverged << "/" << kRequests << " (" << rate * 100 << "%)\n"
            << "[ torchscript ] batch " << kRequests << " tokens/s: cpu f32 " << c.tokens / c.seconds << ", " << gpu
            << " f32 " << g.tokens / g.seconds << ", " << gpu << " bf16 " << h.tokens / h.seconds << "\n";
  ::testing::Test::RecordProperty("bf16_divergence_rate", std::to_string(rate));
}

#else

TEST(TorchScriptGpu, NeedsLibTorch) { GTEST_SKIP() << "built without LibTorch"; }

#endif

}  // namespace
}  // namespace imaxbench
