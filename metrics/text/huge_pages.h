// Memory on transparent huge pages (2 MiB) where the kernel offers them (madvise mode, Debian's
// default), for the text metrics' big allocations: the n-gram dictionary's tables, probed at
// random, and the per-sample statistics of a whole corpus, written once and freed together. On
// 4 KiB pages both pay a page fault per 4 KiB (42,000 faults, 130-190 ms of kernel time, in the
// ~0.9 s per-sample phase of 20,000 reports) and the tables miss the TLB on nearly every probe. Without THP this is plain memory.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace imaxbench {

inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

// At least `bytes`, kHugePage aligned, advised onto huge pages; give back with free_huge(p, bytes).
// Mapped from the kernel and unmapped on free, not taken from malloc: glibc raises its mmap
// threshold to the size of each large block freed, after which blocks of 4 MiB come from its
// arenas and, freed between longer-lived ones, stay resident (340 MB of 750 MB at the peak of a
// BLEU-only score of 100,000 reports). Throws Error first where the mapping would leave too little
// memory (check_memory_left, core/memory_available.h).
void* allocate_huge(std::size_t bytes);
void free_huge(void* p, std::size_t bytes);

// std::allocator that puts allocations of 2 MiB and more on huge pages.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(std::size_t n) {
    if (n * sizeof(T) < kHugePage) return std::allocator<T>().allocate(n);
    return static_cast<T*>(allocate_huge(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePage) std::allocator<T>().deallocate(p, n);
    else free_huge(p, n * sizeof(T));
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

// A vector whose blocks of 2 MiB and more are on huge pages and pass check_memory_left().
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

// `bytes` (16-byte aligned) carved out of this thread's current 4 MiB chunk of huge pages. The
// block shares ownership of its chunk, which is freed with the last of its blocks, so blocks made
// together should die together (a thread keeps its current chunk, at most 4 MiB, for its next
// blocks). Replaces a malloc and a free per block, and most page faults.
std::shared_ptr<std::byte> allocate_in_chunk(std::size_t bytes);

}  // namespace imaxbench
