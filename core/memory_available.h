// How much memory this process may still take: the kernel's MemAvailable, lowered to what a
// cgroup limit (v2 memory.max, v1 memory.limit_in_bytes) leaves, so a container's limit counts
// (its page cache, which the kernel reclaims before it kills, not counted as used).
// Used to refuse up front a suite that cannot fit, and to stop scoring that outgrows the memory,
// with a message, instead of being killed by the OOM killer halfway through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace imaxbench {

// Bytes available, or nullopt where the system does not say (not Linux, /proc not mounted).
// IMAXBENCH_MEMORY_AVAILABLE (bytes) overrides what the system says, for tests.
std::optional<std::uint64_t> memory_available_bytes();

// The memory available when input of `bytes`, which takes at least twice that once read, would
// not fit in it; nullopt when it fits or the system does not say. The splits (data/suite_loader.cc)
// and the answers (core/answers.cc) are checked with it before they are read, each with its own
// message. `copies`: how many times its size the input takes once read (1 for a split whose records
// are counted and dropped, as `inspect` reads them).
std::optional<std::uint64_t> memory_short_for_reading(std::uint64_t bytes, std::uint64_t copies = 2);

// Throws Error, saying what to do, when mapping `bytes` more would leave less than
// kMemoryReserve available: called before each large mapping (metrics/text/huge_pages.h: the text
// metrics' per-sample statistics, n-gram tables and the resampling kernel's tables, most of what
// scoring grows by), so scoring that outgrows the memory stops with a message instead of being
// killed by the OOM killer, which the checks of the inputs' sizes alone cannot foresee.
// Under IMAXBENCH_MEMORY_AVAILABLE the figure is what was available at the first call, less what
// this process's resident memory has grown by since, as the system's figure would fall.
inline constexpr std::uint64_t kMemoryReserve = std::uint64_t{64} << 20;
void check_memory_left(std::uint64_t bytes);

// What the memory cgroup mounted at `root` leaves (limit - usage, the page cache not counted as
// used), v2 or v1; nullopt without a limit. memory_available_bytes() asks "/sys/fs/cgroup".
std::optional<std::uint64_t> cgroup_memory_left(const std::string& root);

// "1.5 GB", "820 MB": a byte count for messages (decimal units, 2 significant digits at least).
std::string human_bytes(std::uint64_t bytes);

}  // namespace imaxbench
