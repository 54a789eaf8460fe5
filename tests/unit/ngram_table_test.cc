// NgramTable (metrics/text/coco_text.h): the per-thread map from a sample's n-gram keys to their
// slots. It is sized for at most 2^16 keys whatever bound the caller gives and grows past that, so
// every key must keep its value across the growths, and a reset must forget them all.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/text/coco_text.h"

namespace imaxbench {
namespace {

NgramKey key(std::uint64_t i) { return {mix64(i), mix64(i ^ 0x9E3779B97F4A7C15ull)}; }

TEST(NgramTable, KeysKeepTheirValuesAcrossGrowths) {
  NgramTable table;
  constexpr int kKeys = 300000;  // past 2^16 and 2^17 keys: the table doubles three times
  for (std::size_t capacity : {std::size_t{4} * kKeys, std::size_t{16}}) {
    table.reset(capacity);
    for (int i = 0; i < kKeys; ++i) ASSERT_EQ(table.insert(key(static_cast<std::uint64_t>(i)), i), i) << i;
    for (int i = 0; i < kKeys; ++i) ASSERT_EQ(table.insert(key(static_cast<std::uint64_t>(i)), -7), i) << i;
  }
  // A reset forgets every key, the ones placed by a growth included.
  table.reset(8);
  for (int i = 0; i < kKeys; i += 1000)
    EXPECT_EQ(table.insert(key(static_cast<std::uint64_t>(i)), kKeys + i), kKeys + i);
  EXPECT_EQ(table.insert(key(1000), 0), kKeys + 1000);
}

}  // namespace
}  // namespace imaxbench
