// How much memory this process may still take: the kernel's MemAvailable, lowered to what a
// cgroup limit (v2 memory.max, v1 memory.limit_in_bytes) leaves, so a container's limit counts.
// Used to refuse up front a suite that cannot fit, with a message, instead of being killed by the
// OOM killer halfway through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace imaxbench {

// Bytes available, or nullopt where the system does not say (not Linux, /proc not mounted).
// IMAXBENCH_MEMORY_AVAILABLE (bytes) overrides what the system says, for tests.
std::optional<std::uint64_t> memory_available_bytes();

// "1.5 GB", "820 MB": a byte count for messages (decimal units, 2 significant digits at least).
std::string human_bytes(std::uint64_t bytes);

}  // namespace imaxbench
