#include "harness/resource_usage.h"

#include <sys/resource.h>

#include <fstream>
#include <sstream>
#include <string>

namespace imaxbench {

namespace {

// A "Key:   1234 kB" line of /proc/self/status, in bytes.
std::optional<std::int64_t> proc_status_kb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size() + 1, key + ":") != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    std::int64_t kb = 0;
    if (fields >> kb) return kb * 1024;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> peak_host_rss_bytes() {
  if (auto hwm = proc_status_kb("VmHWM")) return hwm;
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) == 0 && usage.ru_maxrss > 0)
    return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // kilobytes on Linux
  return std::nullopt;
}

std::optional<std::int64_t> current_host_rss_bytes() { return proc_status_kb("VmRSS"); }

}  // namespace imaxbench
