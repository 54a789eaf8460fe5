// ROUGE-L's bit-parallel LCS (metrics/text/lcs.h) against the textbook table on random id
// sequences: short ones, ones spanning several 64-bit words, tiny vocabularies (many matches) and
// large ones (few).
#include <algorithm>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/text/lcs.h"

namespace imaxbench {
namespace {

std::size_t table_lcs(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
  return t[a.size()][b.size()];
}

std::size_t bit_lcs(const std::vector<int>& a, const std::vector<int>& b, int vocabulary) {
  const std::vector<std::uint32_t> x(a.begin(), a.end()), y(b.begin(), b.end());
  return lcs_length(x, y, static_cast<std::uint32_t>(vocabulary));
}

TEST(BitParallelLcs, EqualsTheTableOnRandomSequences) {
  std::mt19937 rng(11);
  const int lengths[] = {0, 1, 2, 5, 31, 63, 64, 65, 127, 128, 129, 200, 333};
  const int vocabularies[] = {1, 2, 4, 30, 1000};
  int checked = 0;
  for (int la : lengths)
    for (int lb : lengths)
      for (int v : vocabularies) {
        std::uniform_int_distribution<int> word(0, v - 1);
        std::vector<int> a(la), b(lb);
        for (int& w : a) w = word(rng);
        for (int& w : b) w = word(rng);
        const std::size_t expected = table_lcs(a, b);
        ASSERT_EQ(bit_lcs(a, b, v), expected) << la << " x " << lb << ", vocabulary " << v;
        ASSERT_EQ(bit_lcs(b, a, v), expected) << lb << " x " << la << ", vocabulary " << v;
        ++checked;
      }
  EXPECT_EQ(checked, 13 * 13 * 5);
}

TEST(BitParallelLcs, IdenticalAndDisjointSequences) {
  std::vector<int> a(150);
  for (int i = 0; i < 150; ++i) a[i] = i % 17;
  EXPECT_EQ(bit_lcs(a, a, 100), 150u);
  std::vector<int> b(90, 99);
  EXPECT_EQ(bit_lcs(a, b, 100), 0u);
}

}  // namespace
}  // namespace imaxbench
