// allocate_in_chunk: blocks are aligned, disjoint, keep their contents while the thread moves on
// to new chunks, and own their chunk together (it goes with the last of them).
#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/text/huge_pages.h"

namespace imaxbench {
namespace {

bool same_chunk(const std::shared_ptr<std::byte>& a, const std::shared_ptr<std::byte>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

TEST(AllocateInChunk, BlocksAreAlignedDisjointAndKeepTheirBytes) {
  std::vector<std::shared_ptr<std::byte>> blocks;
  std::vector<std::size_t> sizes;
  // ~12 MiB in blocks of 1..5000 bytes: several chunks.
  for (std::size_t i = 0; i < 5000; ++i) {
    const std::size_t size = 1 + (i * 7919) % 5000;
    blocks.push_back(allocate_in_chunk(size));
    sizes.push_back(size);
    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(blocks.back().get()) % 16, 0u);
    std::memset(blocks.back().get(), static_cast<int>(i & 0xFF), size);
  }
  // Releasing blocks never disturbs the others.
  for (std::size_t i = 0; i < blocks.size(); i += 2) blocks[i].reset();
  for (int i = 0; i < 2000; ++i) std::memset(allocate_in_chunk(3000).get(), 0xAB, 3000);
  for (std::size_t i = 1; i < blocks.size(); i += 2)
    for (std::size_t k = 0; k < sizes[i]; ++k)
      ASSERT_EQ(static_cast<int>(blocks[i].get()[k]), static_cast<int>(i & 0xFF)) << "block " << i;
}

TEST(AllocateInChunk, ConsecutiveBlocksShareAChunkThatTheLastOneFrees) {
  auto first = allocate_in_chunk(100);
  auto second = allocate_in_chunk(100);
  if (!same_chunk(first, second)) {  // `first` ended this thread's previous chunk
    first = second;
    second = allocate_in_chunk(100);
  }
  EXPECT_TRUE(same_chunk(first, second));
  EXPECT_EQ(second.get() - first.get(), 112);  // rounded up to 16 bytes, back to back
  // Fill the chunk: the thread lets go of it and takes a new one.
  std::vector<std::shared_ptr<std::byte>> filler;
  while (same_chunk(first, filler.empty() ? first : filler.back())) {
    ASSERT_LT(filler.size(), 100u) << "4 MiB chunks hold 64 blocks of 64 KiB";
    filler.push_back(allocate_in_chunk(64 << 10));
  }
  const std::shared_ptr<std::byte> next_chunk = filler.back();
  filler.pop_back();
  filler.clear();
  second.reset();
  EXPECT_EQ(first.use_count(), 1);  // only `first` still holds its chunk
  EXPECT_FALSE(same_chunk(first, next_chunk));
}

TEST(AllocateInChunk, BigBlocksGetTheirOwnMemory) {
  auto small = allocate_in_chunk(64);
  auto big = allocate_in_chunk(3 << 20);
  EXPECT_FALSE(same_chunk(small, big));
  EXPECT_EQ(big.use_count(), 1);
  std::memset(big.get(), 1, 3 << 20);
}

}  // namespace
}  // namespace imaxbench
