// The CPU preprocessing reference against PyTorch's interpolate (bilinear, align_corners=False,
// antialias=False) and normalisation, values from tests/golden/gen_preprocess_vectors.py.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "images/preprocess.h"
#include "images/preprocess_math.h"

namespace imaxbench {
namespace {

TEST(PreprocessGolden, MatchesTorchInterpolate) {
  std::ifstream in(std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/preprocess_vectors.json");
  ASSERT_TRUE(in) << "missing tests/data/preprocess_vectors.json";
  const nlohmann::json doc = nlohmann::json::parse(in);
  ASSERT_GE(doc["cases"].size(), 8u);
  for (const auto& c : doc["cases"]) {
    GrayImage img;
    img.width = c["width"];
    img.height = c["height"];
    img.max_value = c["max_value"];
    img.pixels = c["pixels"].get<std::vector<std::uint16_t>>();
    const int w = c["out_width"], h = c["out_height"];
    const auto expected = c["expected"].get<std::vector<double>>();
    ASSERT_EQ(expected.size(), std::size_t(w) * h);
    std::vector<float> out(3 * expected.size());
    preprocess_gray_to_chw(img, w, h, c["mean"].get<float>(), c["std"].get<float>(), 3, out.data());
    // The resize weights equal torch's bit for bit; sums may differ by an ulp (torch's kernel may
    // fuse multiply-adds), and normalising by std >= 0.229 scales that to < 1e-6.
    for (std::size_t ch = 0; ch < 3; ++ch)
      for (std::size_t i = 0; i < expected.size(); ++i)
        ASSERT_NEAR(out[ch * expected.size() + i], expected[i], 1e-6) << c["name"] << " channel " << ch << " at " << i;
  }
}

// torch's resize weights, read back through one-hot inputs, must equal bilinear_tap's exactly.
TEST(PreprocessGolden, ResizeWeightsEqualTorchBitForBit) {
  std::ifstream in(std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/preprocess_vectors.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  ASSERT_GE(doc["axes"].size(), 7u);
  for (const auto& axis : doc["axes"]) {
    const int in_size = axis["in"], out_size = axis["out"];
    for (int d = 0; d < out_size; ++d) {
      const auto& t = axis["taps"][std::size_t(d)];
      const LinearTap tap = bilinear_tap(d, in_size, out_size);
      // One sample carries all the weight (i0 == i1, or src on a sample): torch's read-back has one
      // non-zero entry.
      if (tap.i0 == tap.i1 || tap.w1 == 0.0f) {
        ASSERT_EQ(t[0].get<int>(), tap.i0) << in_size << "->" << out_size << " at " << d;
        ASSERT_EQ(t[1].get<float>(), tap.w0 + tap.w1) << in_size << "->" << out_size << " at " << d;
        continue;
      }
      ASSERT_EQ(t[0].get<int>(), tap.i0) << in_size << "->" << out_size << " at " << d;
      ASSERT_EQ(t[1].get<float>(), tap.w0) << in_size << "->" << out_size << " at " << d;
      ASSERT_EQ(t[2].get<int>(), tap.i1) << in_size << "->" << out_size << " at " << d;
      ASSERT_EQ(t[3].get<float>(), tap.w1) << in_size << "->" << out_size << " at " << d;
    }
  }
}

}  // namespace
}  // namespace imaxbench
