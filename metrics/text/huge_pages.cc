#include "metrics/text/huge_pages.h"

#include <cstdint>
#include <new>

#include <sys/mman.h>

#include "core/memory_available.h"

namespace imaxbench {

namespace {
std::size_t rounded(std::size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }
}  // namespace

void* allocate_huge(std::size_t bytes) {
  const std::size_t size = rounded(bytes);
  check_memory_left(size);
  // Map a huge page more than asked and unmap what lies outside the aligned range.
  void* mapped = mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  auto* base = static_cast<std::byte*>(mapped);
  const std::size_t head = (kHugePage - reinterpret_cast<std::uintptr_t>(base) % kHugePage) % kHugePage;
  if (head > 0) munmap(base, head);
  munmap(base + head + size, kHugePage - head);
  void* p = base + head;
#ifdef MADV_HUGEPAGE
  madvise(p, size, MADV_HUGEPAGE);  // advice only: without THP the memory stays on 4 KiB pages
#endif
  return p;
}

void free_huge(void* p, std::size_t bytes) { munmap(p, rounded(bytes)); }

std::shared_ptr<std::byte> allocate_in_chunk(std::size_t bytes) {
  constexpr std::size_t kChunk = std::size_t{4} << 20;
  bytes = (bytes + 15) & ~std::size_t{15};
  // A block bigger than a quarter chunk gets a chunk of its own, so little of a chunk is wasted.
  if (bytes > kChunk / 4)
    return std::shared_ptr<std::byte>(static_cast<std::byte*>(allocate_huge(bytes)),
                                      [bytes](std::byte* p) { free_huge(p, bytes); });
  thread_local std::shared_ptr<std::byte> chunk;
  thread_local std::size_t used = kChunk;
  if (used + bytes > kChunk) {
    chunk = std::shared_ptr<std::byte>(static_cast<std::byte*>(allocate_huge(kChunk)),
                                       [](std::byte* p) { free_huge(p, kChunk); });
    used = 0;
  }
  std::shared_ptr<std::byte> block(chunk, chunk.get() + used);  // shares the chunk's ownership
  used += bytes;
  return block;
}

}  // namespace imaxbench
