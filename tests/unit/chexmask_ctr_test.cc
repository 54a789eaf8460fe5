// Cardiothoracic ratios from run-length encoded masks, as CheXmask stores them (starts 1-based,
// row-major): drawn masks whose widths are known, runs that wrap rows, and malformed encodings.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/import_chexmask.h"

namespace imaxbench {
namespace {

// CheXmask's own encoding of a mask given as rows of '#' and '.'.
std::string rle(const std::vector<std::string>& rows) {
  std::string flat, out;
  for (const auto& r : rows) flat += r;
  for (std::size_t i = 0; i < flat.size();) {
    if (flat[i] != '#') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < flat.size() && flat[j] == '#') ++j;
    out += (out.empty() ? "" : " ") + std::to_string(i + 1) + " " + std::to_string(j - i);
    i = j;
  }
  return out;
}

TEST(ChexmaskCtr, DrawnMasks) {
  // 12 wide: lungs span columns 1-10 (thorax width 10), the heart columns 3-7 on different rows (5).
  const std::vector<std::string> left = {"......####..", "......#####.", "......#####.", "............"};
  const std::vector<std::string> right = {".####.......", ".####.......", ".###........", "............"};
  const std::vector<std::string> heart = {"............", "...###......", ".....###....", "............"};
  std::string problem;
  const auto ctr = cardiothoracic_ratio(rle(heart), rle(left), rle(right), 4, 12, problem);
  ASSERT_TRUE(ctr) << problem;
  EXPECT_DOUBLE_EQ(*ctr, 0.5);
}

TEST(ChexmaskCtr, RunsThatWrapARowCoverEveryColumn) {
  std::string problem;
  const auto e = rle_column_extent("5 10", 3, 8, problem);  // cells 4..13: row 0 from column 4, row 1 to 5
  ASSERT_TRUE(e) << problem;
  EXPECT_EQ(e->left, 0);
  EXPECT_EQ(e->right, 7);
  const auto one = rle_column_extent("11 3", 3, 8, problem);  // cells 10..12: row 1, columns 2-4
  ASSERT_TRUE(one);
  EXPECT_EQ(one->left, 2);
  EXPECT_EQ(one->right, 4);
}

TEST(ChexmaskCtr, MalformedMasksAreNamed) {
  std::string problem;
  EXPECT_FALSE(rle_column_extent("", 4, 4, problem));
  EXPECT_EQ(problem, "an empty mask");
  EXPECT_FALSE(rle_column_extent("3", 4, 4, problem));
  EXPECT_EQ(problem, "a run-length start without its length");
  EXPECT_FALSE(rle_column_extent("15 3", 4, 4, problem));  // past the 16 cells
  EXPECT_EQ(problem, "a run outside the Height x Width grid (or not a number)");
  EXPECT_FALSE(rle_column_extent("0 1", 4, 4, problem));
  EXPECT_FALSE(rle_column_extent("1 x", 4, 4, problem));
  EXPECT_FALSE(rle_column_extent("1 1", 0, 4, problem));
  EXPECT_FALSE(cardiothoracic_ratio("", "1 1", "1 1", 4, 4, problem));
  EXPECT_EQ(problem, "Heart: an empty mask");
}

}  // namespace
}  // namespace imaxbench
