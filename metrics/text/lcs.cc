#include "metrics/text/lcs.h"

#include <algorithm>
#include <bit>
#include <utility>
#include <vector>

namespace imaxbench {

// Bit j of V is 0 where the LCS of a[..i] and b[..j] gains a match at b[j]; each id of a updates
// all of b's bits at once. U = V & M is a subset of V, so V - U never borrows.
std::size_t lcs_length(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b,
                       std::uint32_t n_ids) {
  if (a.size() < b.size()) std::swap(a, b);  // LCS is symmetric; keep the bit string short
  const std::size_t words = (b.size() + 63) / 64;
  thread_local std::vector<std::uint64_t> masks, v;
  masks.assign(static_cast<std::size_t>(n_ids) * words, 0);
  for (std::size_t j = 0; j < b.size(); ++j) masks[b[j] * words + j / 64] |= std::uint64_t{1} << (j % 64);
  v.assign(words, ~std::uint64_t{0});
  for (std::uint32_t x : a) {
    const std::uint64_t* m = masks.data() + static_cast<std::size_t>(x) * words;
    std::uint64_t carry = 0;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t u = v[w] & m[w];
      const std::uint64_t sum = v[w] + u;
      const std::uint64_t with_carry = sum + carry;
      carry = (sum < v[w]) | (with_carry < sum);
      v[w] = with_carry | (v[w] - u);
    }
  }
  std::size_t zeros = 0;
  for (std::size_t w = 0; w < words; ++w) {
    const std::size_t bits = std::min<std::size_t>(64, b.size() - 64 * w);
    const std::uint64_t live = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    zeros += bits - static_cast<std::size_t>(std::popcount(v[w] & live));
  }
  return zeros;
}

}  // namespace imaxbench
