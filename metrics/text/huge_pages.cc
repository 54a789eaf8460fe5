#include "metrics/text/huge_pages.h"

#include <cstdlib>

#include <sys/mman.h>

namespace imaxbench {

void* allocate_huge(std::size_t bytes) {
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP the memory stays on 4 KiB pages
#endif
  return p;
}

std::shared_ptr<std::byte> allocate_in_chunk(std::size_t bytes) {
  constexpr std::size_t kChunk = std::size_t{4} << 20;
  bytes = (bytes + 15) & ~std::size_t{15};
  // A block bigger than a quarter chunk gets a chunk of its own, so little of a chunk is wasted.
  if (bytes > kChunk / 4)
    return std::shared_ptr<std::byte>(static_cast<std::byte*>(allocate_huge(bytes)), std::free);
  thread_local std::shared_ptr<std::byte> chunk;
  thread_local std::size_t used = kChunk;
  if (used + bytes > kChunk) {
    chunk = std::shared_ptr<std::byte>(static_cast<std::byte*>(allocate_huge(kChunk)), std::free);
    used = 0;
  }
  std::shared_ptr<std::byte> block(chunk, chunk.get() + used);  // shares the chunk's ownership
  used += bytes;
  return block;
}

}  // namespace imaxbench
