// PNG and JPEG decoding against fixtures whose every pixel is known (tests/data/images/
// make_fixtures.py writes them), plus the bad-input contract: every broken file is an ImageError
// naming the file, never a crash.
#include "images/image_decode.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

namespace imaxbench {
namespace {

std::string fixture(const std::string& name) {
  return std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/images/" + name;
}

std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Decoding `path` must throw an ImageError that names the path and mentions `needle`.
void expect_image_error(const std::string& path, const std::string& needle, const DecodeLimits& limits = {}) {
  try {
    decode_image(path, limits);
    ADD_FAILURE() << "no error for " << path;
  } catch (const ImageError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_EQ(std::string(e.what()).rfind(ImageError::printable(path) + ": ", 0), 0u) << e.what();
    EXPECT_NE(e.problem().find(needle), std::string::npos) << e.what();
  }
}

TEST(ImageDecodePng, Gray8EveryPixel) {
  GrayImage img = decode_image(fixture("gray8.png"));
  EXPECT_EQ(img.format, "png");
  EXPECT_EQ(img.width, 4);
  EXPECT_EQ(img.height, 3);
  EXPECT_EQ(img.max_value, 255);
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{0, 10, 20, 30, 100, 128, 200, 255, 1, 2, 254, 253}));
}

TEST(ImageDecodePng, Gray16KeepsFullPrecision) {
  GrayImage img = decode_image(fixture("gray16.png"));
  EXPECT_EQ(img.max_value, 65535);
  EXPECT_EQ(img.width, 3);
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{0, 1, 256, 4095, 32768, 65535}));
}

TEST(ImageDecodePng, GrayAlphaDropsAlpha) {
  GrayImage img = decode_image(fixture("gray_alpha8.png"));
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{7, 77, 200, 255}));
}

// BT.601 luma, Y = (19595 R + 38470 G + 7471 B + 32768) >> 16, worked out by hand.
TEST(ImageDecodePng, Rgb8BecomesLuma601) {
  GrayImage img = decode_image(fixture("rgb8.png"));
  EXPECT_EQ(img.max_value, 255);
  // (255,0,0) (0,255,0) (0,0,255) / (10,20,30) (255,255,255) (123,45,67)
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{76, 150, 29, 18, 255, 71}));
  EXPECT_EQ(luma601(123, 45, 67), 71);
}

TEST(ImageDecodePng, Rgba16BecomesLuma601In16Bits) {
  GrayImage img = decode_image(fixture("rgba16.png"));
  EXPECT_EQ(img.max_value, 65535);
  ASSERT_EQ(img.pixels.size(), 4u);
  EXPECT_EQ(img.pixels[0], (19595ull * 65535 + 32768) >> 16);                          // red
  EXPECT_EQ(img.pixels[1], (19595ull * 1000 + 38470ull * 2000 + 7471ull * 3000 + 32768) >> 16);
  EXPECT_EQ(img.pixels[2], 65535);                                                     // white
  EXPECT_EQ(img.pixels[3], (19595ull * 40000 + 38470ull * 20000 + 7471ull * 100 + 32768) >> 16);
}

TEST(ImageDecodePng, Palette2BitIgnoresTransparency) {
  GrayImage img = decode_image(fixture("palette2.png"));
  // palette: 0 black, 1 white, 2 (200,50,100) -> 101, 3 (10,200,30) -> 124
  EXPECT_EQ(img.max_value, 255);
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{0, 255, 101, 124, 101, 124, 124, 0, 255, 255}));
}

TEST(ImageDecodePng, LowBitDepthsExpandByReplication) {
  EXPECT_EQ(decode_image(fixture("gray1.png")).pixels,
            (std::vector<std::uint16_t>{0, 255, 255, 0, 255, 0, 0, 255, 255}));
  EXPECT_EQ(decode_image(fixture("gray2.png")).pixels, (std::vector<std::uint16_t>{0, 85, 170, 255, 255}));
  EXPECT_EQ(decode_image(fixture("gray4.png")).pixels, (std::vector<std::uint16_t>{0, 51, 153, 255, 17}));
}

TEST(ImageDecodePng, Adam7Interlaced) {
  GrayImage img = decode_image(fixture("interlaced8.png"));
  ASSERT_EQ(img.width, 11);
  ASSERT_EQ(img.height, 9);
  for (int y = 0; y < 9; ++y)
    for (int x = 0; x < 11; ++x) EXPECT_EQ(img.pixels[y * 11 + x], x + 10 * y) << x << "," << y;
}

TEST(ImageDecodeJpeg, GrayBlocksExact) {
  for (const char* name : {"gray_blocks.jpg", "gray_blocks_progressive.jpg"}) {
    GrayImage img = decode_image(fixture(name));
    EXPECT_EQ(img.format, "jpeg");
    EXPECT_EQ(img.max_value, 255);
    ASSERT_EQ(img.width, 16);
    ASSERT_EQ(img.height, 16);
    const int block[2][2] = {{10, 100}, {200, 255}};  // [by][bx]; constant 8x8 blocks survive q100
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x) ASSERT_EQ(img.pixels[y * 16 + x], block[y / 8][x / 8]) << name;
  }
}

TEST(ImageDecodeJpeg, RgbBecomesLumaY) {
  GrayImage img = decode_image(fixture("rgb_blocks.jpg"));
  EXPECT_EQ(img.pixels[0], luma601(255, 0, 0));
  EXPECT_EQ(img.pixels[8], luma601(0, 255, 0));
  EXPECT_EQ(img.pixels[8 * 16], luma601(0, 0, 255));
  EXPECT_EQ(img.pixels[15 * 16 + 15], luma601(10, 200, 30));
  EXPECT_EQ(luma601(10, 200, 30), 124);
}

TEST(ImageDecodeErrors, BrokenFilesNameTheFile) {
  expect_image_error(fixture("corrupt_crc.png"), "corrupt PNG");
  expect_image_error(fixture("truncated.png"), "truncated");
  expect_image_error(fixture("no_iend.png"), "corrupt PNG");
  expect_image_error(fixture("truncated.jpg"), "corrupt or unsupported JPEG");
  expect_image_error(fixture("not_an_image.png"), "unrecognised file signature");
  expect_image_error(fixture("empty.png"), "empty");
}

TEST(ImageDecodeErrors, BombRefusedFromTheHeader) {
  expect_image_error(fixture("bomb.png"), "100000x100000");
  DecodeLimits small;
  small.max_pixels = 11;  // gray8.png has 12
  expect_image_error(fixture("gray8.png"), "more than the limit of 11", small);
  expect_image_error(fixture("gray_blocks.jpg"), "more than the limit", small);
  small.max_pixels = 12;
  EXPECT_EQ(decode_image(fixture("gray8.png"), small).pixels.size(), 12u);
  DecodeLimits tiny_file;
  tiny_file.max_file_bytes = 10;
  expect_image_error(fixture("gray8.png"), "bytes, more than the limit", tiny_file);
}

TEST(ImageDecodeErrors, HostilePaths) {
  expect_image_error(fixture("does_not_exist.png"), "not found");
  expect_image_error(fixture("../images/../images/missing.jpg"), "not found");
  expect_image_error(std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/images", "not a regular file");
  expect_image_error("/dev/zero", "not a regular file");  // would never end if read
  expect_image_error(std::string("gray8.png\0.dcm", 14), "NUL byte");
  EXPECT_EQ(ImageError::printable(std::string("a\0b\x1b[2J\n", 8)), "a\\x00b\\x1b[2J\\x0a");
  expect_image_error("", "not found");
  std::string fifo = testing::TempDir() + "/imaxbench_fifo.png";
  std::remove(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expect_image_error(fifo, "not a regular file");  // opening it would block forever
  std::remove(fifo.c_str());
}

// Every prefix of every fixture, and seeded random byte flips: decoding either succeeds with a
// consistent image or throws ImageError. Nothing else (crash, other exception, hang).
TEST(ImageDecodeErrors, TruncationsAndBitFlipsNeverCrash) {
  const char* names[] = {"gray8.png", "interlaced8.png", "palette2.png", "rgba16.png", "gray_blocks.jpg",
                         "gray_blocks_progressive.jpg", "rgb_blocks.jpg", "monochrome2_window.dcm",
                         "signed_minmax.dcm", "rgb8.dcm"};
  std::mt19937 rng(20240517);
  int decoded = 0, refused = 0;
  auto attempt = [&](const std::vector<unsigned char>& bytes, const std::string& label) {
    try {
      GrayImage img = decode_image_bytes(bytes, label);
      ASSERT_EQ(img.pixels.size(), std::size_t(img.width) * std::size_t(img.height)) << label;
      ++decoded;
    } catch (const ImageError& e) {
      EXPECT_EQ(e.path(), label);
      ++refused;
    }
  };
  for (const char* name : names) {
    const std::vector<unsigned char> good = read_bytes(fixture(name));
    ASSERT_FALSE(good.empty()) << name;
    for (std::size_t n = 0; n < good.size(); ++n)
      attempt(std::vector<unsigned char>(good.begin(), good.begin() + std::ptrdiff_t(n)), name);
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<unsigned char> bad = good;
      int flips = 1 + int(rng() % 4);
      for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] ^= static_cast<unsigned char>(1 + rng() % 255);
      attempt(bad, name);
    }
  }
  EXPECT_GT(refused, 1000);
  RecordProperty("decoded", decoded);
  RecordProperty("refused", refused);
}

// The run pipeline decodes on several threads at once; DCMTK's one-time codec setup and the
// libraries' per-call state must not interfere.
TEST(ImageDecodeThreads, ConcurrentDecodesAgreeWithSequential) {
  const std::vector<std::string> names = {"gray16.png", "interlaced8.png", "gray_blocks_progressive.jpg",
                                          "rgb_blocks.jpg", "monochrome1_window.dcm", "signed_minmax.dcm",
                                          "truncated.jpg", "corrupt_crc.png"};
  auto outcome = [](const std::string& path) {
    try {
      GrayImage img = decode_image(path);
      return std::to_string(img.width) + "x" + std::to_string(img.height) + ":" +
             std::string(reinterpret_cast<const char*>(img.pixels.data()), img.pixels.size() * 2);
    } catch (const ImageError& e) {
      return std::string("error: ") + e.what();
    }
  };
  std::vector<std::string> expected;
  for (const auto& n : names) expected.push_back(outcome(fixture(n)));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        std::size_t k = std::size_t(i + t) % names.size();
        if (outcome(fixture(names[k])) != expected[k]) ++mismatches[std::size_t(t)];
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace imaxbench
