// Memory a profile reports: the process's peak resident set (host RAM) and, through the backend's
// optional hook, the device caching allocator's peak.
#pragma once

#include <cstdint>
#include <optional>

namespace imaxbench {

// Peak resident set size of this process since it started, in bytes: VmHWM from
// /proc/self/status, else getrusage's ru_maxrss. nullopt when neither is available.
std::optional<std::int64_t> peak_host_rss_bytes();

// Current resident set size (VmRSS), in bytes; nullopt off Linux.
std::optional<std::int64_t> current_host_rss_bytes();

}  // namespace imaxbench
