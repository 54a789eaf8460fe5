// images/pil_resize.h against Pillow's Image.resize(BICUBIC) and transformers 4.45.2
// (get_resize_output_image_size, center_crop, rescale, CLIPImageProcessor without normalisation):
// every byte and every float bit must be equal. Vectors: tests/tools/pil_resize_vectors.py.
#include "images/pil_resize.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "images/preprocess.h"

namespace imaxbench {
namespace {

const nlohmann::json& vectors() {
  static const nlohmann::json doc = [] {
    std::ifstream in(std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/pil_resize_vectors.json");
    if (!in) throw Error("missing tests/data/pil_resize_vectors.json");
    return nlohmann::json::parse(in);
  }();
  return doc;
}

// The generator's LCG (pixels() in the script): stepped before each pixel.
std::vector<std::uint8_t> pixels(std::uint32_t seed, const std::string& kind, int w, int h) {
  std::vector<std::uint8_t> out(std::size_t(w) * std::size_t(h));
  std::uint32_t x = seed;
  for (auto& p : out) {
    x = x * 1664525u + 1013904223u;
    p = static_cast<std::uint8_t>(kind == "noise" ? x >> 24 : 100 + (x >> 27));
  }
  return out;
}

std::vector<std::uint8_t> input_of(const nlohmann::json& c) {
  return pixels(c["seed"].get<std::uint32_t>(), c["kind"], c["width"], c["height"]);
}

GrayImage gray(const std::vector<std::uint8_t>& bytes, int w, int h) {
  GrayImage img;
  img.width = w;
  img.height = h;
  img.pixels.assign(bytes.begin(), bytes.end());
  return img;
}

std::vector<std::uint8_t> float_bytes(const std::vector<float>& values) {
  std::vector<std::uint8_t> out;
  for (float v : values)
    for (int i = 0; i < 4; ++i) out.push_back(std::uint8_t(std::bit_cast<std::uint32_t>(v) >> (8 * i)));  // LE
  return out;
}

std::string fnv1a64(const std::uint8_t* data, std::size_t n) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ data[i]) * 0x100000001B3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// `actual` against a case's "hex" (whole) or "row_fnv1a64" (one hash per row_bytes).
void expect_encoded(const nlohmann::json& c, const std::vector<std::uint8_t>& actual, std::size_t row_bytes,
                    const std::string& what) {
  if (c.contains("hex")) {
    const std::string hex = c["hex"];
    ASSERT_EQ(hex.size(), 2 * actual.size()) << what;
    for (std::size_t i = 0; i < actual.size(); ++i)
      ASSERT_EQ(std::stoi(hex.substr(2 * i, 2), nullptr, 16), actual[i]) << what << " byte " << i;
    return;
  }
  const auto& rows = c["row_fnv1a64"];
  ASSERT_EQ(rows.size() * row_bytes, actual.size()) << what;
  for (std::size_t r = 0; r < rows.size(); ++r)
    ASSERT_EQ(rows[r].get<std::string>(), fnv1a64(actual.data() + r * row_bytes, row_bytes)) << what << " row " << r;
}

std::string describe(const nlohmann::json& c) { return c.dump().substr(0, 160); }

TEST(PilResize, RescaleEqualsNumpyForEveryByte) {
  const auto& bits = vectors()["rescale_f32_bits"];
  ASSERT_EQ(bits.size(), 256u);
  for (int v = 0; v < 256; ++v)
    EXPECT_EQ(std::bit_cast<std::uint32_t>(rescale_8bit(std::uint8_t(v))),
              std::stoul(bits[std::size_t(v)].get<std::string>(), nullptr, 16))
        << v;
}

PillowRelease release_named(const std::string& name) {
  if (name == "up_to_12_1") return PillowRelease::kUpTo12_1;
  if (name == "12_2_to_12_3") return PillowRelease::k12_2To12_3;
  if (name == "from_13") return PillowRelease::kFrom13;
  throw Error("unknown Pillow release " + name);
}

// Every case under every release: three checks, each against the output that release gives.
TEST(PilResize, BicubicEqualsPillow) {
  const auto& cases = vectors()["resize"];
  ASSERT_GE(cases.size(), 80u);
  std::size_t checked = 0, order_dependent = 0;
  for (const auto& c : cases) {
    const int w = c["width"], h = c["height"], ow = c["out_width"], oh = c["out_height"];
    const std::vector<std::uint8_t> src = input_of(c);
    order_dependent += c["outputs"].size() > 1;
    for (const auto& o : c["outputs"])
      for (const auto& name : o["releases"]) {
        const std::string what = name.get<std::string>() + " " + describe(c);
        expect_encoded(o, pil_resize_bicubic(src.data(), w, h, ow, oh, release_named(name)), std::size_t(ow), what);
        ++checked;
      }
  }
  EXPECT_EQ(checked, 3 * cases.size());
  EXPECT_GE(order_dependent, 8u);  // cases whose bytes depend on the pass order
}

TEST(PilResize, ShortestEdgeSizeEqualsTransformers) {
  const auto& cases = vectors()["shortest_edge"];
  ASSERT_GE(cases.size(), 200u);
  for (const auto& c : cases)
    EXPECT_EQ(shortest_edge_size(c[0], c[1], c[2]), (PilSize{c[3], c[4]})) << c.dump();
}

TEST(PilResize, CenterCropEqualsTransformers) {
  const auto& cases = vectors()["center_crop"];
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const std::vector<std::uint8_t> src = input_of(c);
    const int cw = c["crop_width"], ch = c["crop_height"];
    expect_encoded(c, center_crop(src.data(), c["width"], c["height"], cw, ch), std::size_t(cw), describe(c));
  }
}

TEST(PilResize, ClipPlaneEqualsClipImageProcessor) {
  const auto& cases = vectors()["clip"];
  ASSERT_GE(cases.size(), 3u);
  for (const auto& c : cases) {
    const int cw = c["crop_width"], ch = c["crop_height"];
    const GrayImage img = gray(input_of(c), c["width"], c["height"]);
    std::vector<float> plane(std::size_t(cw) * std::size_t(ch), -1.0f);
    pil_clip_plane(img, c["shortest_edge"], cw, ch, plane.data(), release_named(c["release"]));
    expect_encoded(c, float_bytes(plane), std::size_t(cw) * 4, describe(c));

    // The harness's entry point (default release): three equal planes, unchanged by mean 0, std 1.
    if (release_named(c["release"]) != kDefaultPillowRelease) continue;
    ImageSpec spec{cw, ch, 3, 0.0f, 1.0f, ImageSpec::Resize::kPilShortestEdgeCrop, c["shortest_edge"]};
    std::vector<float> chw(3 * plane.size(), -1.0f);
    preprocess_for_spec(img, spec, chw.data());
    for (std::size_t i = 0; i < chw.size(); ++i)
      ASSERT_EQ(std::bit_cast<std::uint32_t>(chw[i]), std::bit_cast<std::uint32_t>(plane[i % plane.size()]))
          << describe(c) << " at " << i;
  }
}

TEST(PilResize, StretchPlaneIsRescaledBicubic) {
  const std::vector<std::uint8_t> src = pixels(7, "noise", 64, 48);
  const std::vector<std::uint8_t> bytes = pil_resize_bicubic(src.data(), 64, 48, 28, 20);
  std::vector<float> plane(28 * 20);
  pil_stretch_plane(gray(src, 64, 48), 28, 20, plane.data());
  for (std::size_t i = 0; i < plane.size(); ++i) ASSERT_EQ(plane[i], rescale_8bit(bytes[i])) << i;

  ImageSpec spec{28, 20, 2, 0.5f, 0.25f, ImageSpec::Resize::kPilBicubic};
  std::vector<float> chw(2 * plane.size());
  preprocess_for_spec(gray(src, 64, 48), spec, chw.data());
  for (std::size_t i = 0; i < chw.size(); ++i) ASSERT_EQ(chw[i], (plane[i % plane.size()] - 0.5f) / 0.25f) << i;
}

TEST(PilResize, BilinearSpecIsPreprocessGrayToChw) {
  const GrayImage img = gray(pixels(9, "noise", 13, 11), 13, 11);
  std::vector<float> expected(3 * 7 * 5), actual(3 * 7 * 5);
  preprocess_gray_to_chw(img, 7, 5, 0.48f, 0.27f, 3, expected.data());
  preprocess_for_spec(img, ImageSpec{7, 5, 3, 0.48f, 0.27f}, actual.data());
  EXPECT_EQ(std::memcmp(expected.data(), actual.data(), expected.size() * sizeof(float)), 0);
}

// 8-bit sources pass through; others round v * 255 / max to the nearest integer.
TEST(PilResize, To8BitScalesWiderImagesByRounding) {
  GrayImage img;
  img.width = 6;
  img.height = 1;
  img.max_value = 255;
  img.pixels = {0, 1, 127, 128, 254, 255};
  EXPECT_EQ(to_8bit(img), (std::vector<std::uint8_t>{0, 1, 127, 128, 254, 255}));
  img.max_value = 65535;  // (v * 255 + 32767) / 65535
  img.pixels = {0, 128, 129, 32896, 65407, 65535};
  // 128: 65407 / 65535 = 0 (0.498 rounds down); 129: 65662 / 65535 = 1; 32896: 8421247 / 65535 = 128;
  // 65407: 16711552 / 65535 = 255 (254.502 rounds up).
  EXPECT_EQ(to_8bit(img), (std::vector<std::uint8_t>{0, 0, 1, 128, 255, 255}));
  img.max_value = 4095;  // 12-bit; a value above the maximum counts as the maximum
  img.pixels = {0, 2048, 4095, 4096, 8, 9};
  // 2048: 524287 / 4095 = 128; 8: 4087 / 4095 = 0; 9: 4342 / 4095 = 1.
  EXPECT_EQ(to_8bit(img), (std::vector<std::uint8_t>{0, 128, 255, 255, 0, 1}));
}

TEST(PilResize, SameSizeIsACopyAndBadArgumentsThrow) {
  const std::vector<std::uint8_t> src = pixels(3, "noise", 5, 4);
  EXPECT_EQ(pil_resize_bicubic(src.data(), 5, 4, 5, 4), src);
  EXPECT_THROW(pil_resize_bicubic(src.data(), 5, 4, 0, 4), Error);
  EXPECT_THROW(shortest_edge_size(5, 4, 0), Error);
  EXPECT_THROW(center_crop(src.data(), 5, 4, 3, -1), Error);
  std::vector<float> out(16);
  ImageSpec spec{4, 4, 1, 0.0f, 1.0f, ImageSpec::Resize::kPilShortestEdgeCrop, 0};
  EXPECT_THROW(preprocess_for_spec(gray(src, 5, 4), spec, out.data()), Error);
}

}  // namespace
}  // namespace imaxbench
