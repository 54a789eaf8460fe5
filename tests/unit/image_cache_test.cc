// images/image_cache.h: each file decoded once for all its samples (also when threads ask for it
// at once), the same pixels a fresh decode gives, failures shared, bounded by bytes, and off at 0.
#include <gtest/gtest.h>

#include <tbb/parallel_for.h>

#include <string>

#include "images/image_cache.h"
#include "images/preprocess.h"
#include "test_files.h"

namespace imaxbench {
namespace {

const std::string kImages = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/images/";

ImageSpec small_spec() { return ImageSpec{32, 24, 3, 0.5f, 0.25f}; }

TEST(ImageCache, DecodesEachFileOnceWithTheSamePixels) {
  ImageCache cache(small_spec());
  bool first = false, again = true;
  const auto a = cache.get(kImages + "cxr_000.png", first);
  const auto b = cache.get(kImages + "cxr_000.png", again);
  EXPECT_TRUE(first);
  EXPECT_FALSE(again);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(cache.preparations(), 1u);
  EXPECT_EQ(cache.reuses(), 1u);

  const GrayImage fresh = decode_image(kImages + "cxr_000.png");
  std::vector<float> pixels(3 * 32 * 24);
  preprocess_for_spec(fresh, small_spec(), pixels.data());
  EXPECT_EQ(a->pixels, pixels);
  EXPECT_EQ(a->image->pixels, fresh.pixels);
}

TEST(ImageCache, ConcurrentRequestsShareOnePreparation) {
  ImageCache cache(small_spec());
  const std::string files[] = {"cxr_001.png", "cxr_002.png", "cxr_003.jpg"};
  tbb::parallel_for(0, 300, [&](int i) {
    bool here = false;
    const auto p = cache.get(kImages + files[i % 3], here);
    EXPECT_TRUE(p->error.empty());
    EXPECT_FALSE(p->pixels.empty());
  });
  EXPECT_EQ(cache.preparations(), 3u);
  EXPECT_EQ(cache.reuses(), 297u);
}

TEST(ImageCache, FailuresAreSharedAndNamed) {
  ImageCache cache(std::nullopt);
  bool here = false;
  const auto p = cache.get(kImages + "no_such_file.png", here);
  EXPECT_NE(p->error.find("no_such_file.png"), std::string::npos) << p->error;
  EXPECT_EQ(cache.get(kImages + "no_such_file.png", here)->error, p->error);
  EXPECT_EQ(cache.preparations(), 1u);
}

TEST(ImageCache, BoundedByBytesAndOffAtZero) {
  ImageCache one_image(std::nullopt, 1);  // smaller than any image: nothing is kept
  bool here = false;
  one_image.get(kImages + "cxr_000.png", here);
  one_image.get(kImages + "cxr_000.png", here);
  EXPECT_TRUE(here);
  EXPECT_EQ(one_image.preparations(), 2u);

  ImageCache off(small_spec(), 0);
  off.get(kImages + "cxr_000.png", here);
  off.get(kImages + "cxr_000.png", here);
  EXPECT_TRUE(here);
  EXPECT_EQ(off.preparations(), 2u);
  EXPECT_EQ(off.reuses(), 0u);
}

}  // namespace
}  // namespace imaxbench
