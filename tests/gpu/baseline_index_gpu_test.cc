// The baseline's torch index on a GPU gives the CPU's similarities and nearest neighbours.
// Skipped where LibTorch has no usable GPU (the CPU-only Debian build, a machine without one).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "backends/image_index.h"
#include "metrics/bootstrap.h"
#include "core/error.h"

namespace imaxbench {
namespace {

#ifdef IMAXBENCH_HAVE_TORCH
TEST(BaselineIndexGpu, MatchesCpu) {
  auto e = make_tiny_image_embedding();
  const std::size_t n = 500, q = 64, in = 1024;
  std::vector<float> gallery(n * in), queries(q * in);
  SplitMix64 rng(42);
  for (auto& v : gallery) v = float(rng.next() >> 40) / float(1 << 24);
  for (auto& v : queries) v = float(rng.next() >> 40) / float(1 << 24);
  std::unique_ptr<ImageIndex> gpu;
  try {
    gpu = make_torch_image_index(parse_device("cuda:0"), e, gallery, n);
  } catch (const Error& err) {
    GTEST_SKIP() << err.what();
  }
  auto cpu = make_torch_image_index(parse_device("cpu"), e, gallery, n);
  auto a = cpu->similarities(queries, q), b = gpu->similarities(queries, q);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < q; ++i) {
    std::size_t ia = 0, ib = 0;
    for (std::size_t g = 0; g < n; ++g) {
      ASSERT_NEAR(a[i * n + g], b[i * n + g], 1e-4);
      if (a[i * n + g] > a[i * n + ia]) ia = g;
      if (b[i * n + g] > b[i * n + ib]) ib = g;
    }
    EXPECT_EQ(ia, ib) << "query " << i;
  }
  bool has_cuda_version = false;
  for (const auto& [k, v] : gpu->versions()) has_cuda_version |= k == "cuda" || k == "hip";
  EXPECT_TRUE(has_cuda_version);
}
#endif

}  // namespace
}  // namespace imaxbench
