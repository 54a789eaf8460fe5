// Preprocessing reference against values worked out by hand; the torch comparison is in
// tests/golden/preprocess_golden_test.cc.
#include "images/preprocess.h"

#include <gtest/gtest.h>

#include <vector>

#include "images/preprocess_math.h"

namespace imaxbench {
namespace {

GrayImage image(int w, int h, std::uint16_t max_value, std::vector<std::uint16_t> pixels) {
  GrayImage img;
  img.width = w;
  img.height = h;
  img.max_value = max_value;
  img.pixels = std::move(pixels);
  return img;
}

// Row [0, 255] stretched to 4: src = 0.5 (dst + 0.5) - 0.5 = -0.25 (clamped to 0), 0.25, 0.75,
// 1.25 (i0 = i1 = 1) -> 0, 0.25, 0.75, 1; normalised with mean 0.5, std 0.25 -> -2, -1, 1, 2.
TEST(Preprocess, UpscaleRowByHand) {
  std::vector<float> out(2 * 4, -99.0f);
  preprocess_gray_to_chw(image(2, 1, 255, {0, 255}), 4, 1, 0.5f, 0.25f, 2, out.data());
  EXPECT_EQ(out, (std::vector<float>{-2, -1, 1, 2, -2, -1, 1, 2}));
}

// 4x4 to 2x2: src = 2 (dst + 0.5) - 0.5 = 0.5, 2.5: each output is the mean of a 2x2 block.
TEST(Preprocess, DownscaleAveragesBlocksByHand) {
  GrayImage img = image(4, 4, 1000, {0, 100, 200, 300,
                                     400, 500, 600, 700,
                                     10, 20, 30, 40,
                                     50, 60, 70, 1000});
  std::vector<float> out(4);
  preprocess_gray_to_chw(img, 2, 2, 0.0f, 1.0f, 1, out.data());
  EXPECT_FLOAT_EQ(out[0], 0.25f);   // (0 + 100 + 400 + 500) / 4 / 1000
  EXPECT_FLOAT_EQ(out[1], 0.45f);   // (200 + 300 + 600 + 700) / 4 / 1000
  EXPECT_FLOAT_EQ(out[2], 0.035f);  // (10 + 20 + 50 + 60) / 4 / 1000
  EXPECT_FLOAT_EQ(out[3], 0.285f);  // (30 + 40 + 70 + 1000) / 4 / 1000
}

TEST(Preprocess, IdentitySizeCopiesAndPerChannelNormalises) {
  GrayImage img = image(3, 1, 65535, {0, 65535, 13107});
  const float mean[3] = {0.0f, 0.5f, 1.0f}, stdev[3] = {1.0f, 0.5f, 2.0f};
  std::vector<float> out(9);
  preprocess_gray_to_chw(img, 3, 1, mean, stdev, out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 1, 0.2f, -1, 1, (0.2f - 0.5f) / 0.5f, -0.5f, 0, (0.2f - 1.0f) / 2.0f}));
}

TEST(Preprocess, TapsFollowTorchIndexRule) {
  LinearTap t = bilinear_tap(0, 10, 4);  // scale 2.5: src = 0.75
  EXPECT_EQ(t.i0, 0);
  EXPECT_EQ(t.i1, 1);
  EXPECT_FLOAT_EQ(t.w1, 0.75f);
  t = bilinear_tap(3, 10, 4);  // src = 8.25
  EXPECT_EQ(t.i0, 8);
  EXPECT_EQ(t.i1, 9);
  EXPECT_FLOAT_EQ(t.w0, 0.75f);
  t = bilinear_tap(6, 3, 7);  // scale 3/7: src = 2.2857 -> i0 = 2 = last, i1 = 2
  EXPECT_EQ(t.i0, 2);
  EXPECT_EQ(t.i1, 2);
}

// The device kernels call preprocess_pixel directly; it must agree with the CPU reference.
TEST(Preprocess, PerPixelFunctionMatchesReference) {
  std::vector<std::uint16_t> pixels(37 * 23);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = std::uint16_t((i * 7919) % 4096);
  GrayImage img = image(37, 23, 4095, pixels);
  for (auto [w, h] : {std::pair{16, 16}, std::pair{50, 11}, std::pair{37, 23}, std::pair{100, 70}}) {
    std::vector<float> out(std::size_t(w) * h);
    preprocess_gray_to_chw(img, w, h, 0.4f, 0.3f, 1, out.data());
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        ASSERT_EQ(out[std::size_t(y) * w + x],
                  preprocess_pixel(img.pixels.data(), 37, 23, 4095.0f, x, y, w, h, 0.4f, 0.3f));
  }
}

TEST(Preprocess, BadArgumentsThrow) {
  GrayImage img = image(2, 2, 255, {1, 2, 3, 4});
  std::vector<float> out(16);
  EXPECT_THROW(preprocess_gray_to_chw(img, 0, 2, 0.5f, 0.5f, 1, out.data()), Error);
  EXPECT_THROW(preprocess_gray_to_chw(img, 2, 2, 0.5f, 0.5f, 0, out.data()), Error);
  EXPECT_THROW(preprocess_gray_to_chw(img, 2, 2, 0.5f, 0.0f, 1, out.data()), Error);
  EXPECT_THROW(preprocess_gray_to_chw(image(2, 2, 255, {1, 2, 3}), 2, 2, 0.5f, 0.5f, 1, out.data()), Error);
  EXPECT_THROW(preprocess_gray_to_chw(GrayImage{}, 2, 2, 0.5f, 0.5f, 1, out.data()), Error);
}

}  // namespace
}  // namespace imaxbench
