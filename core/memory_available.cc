#include "core/memory_available.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "core/error.h"

namespace imaxbench {

namespace {

std::optional<std::uint64_t> read_number(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    std::size_t used = 0;
    const unsigned long long v = std::stoull(text, &used);
    if (used != text.size()) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<std::uint64_t> mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

// The value of `key` in a memory.stat file ("file 123" lines).
std::optional<std::uint64_t> stat_value(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string k;
  std::uint64_t v = 0;
  while (in >> k >> v)
    if (k == key) return v;
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> cgroup_memory_left(const std::string& root) {
  struct Files {
    const char *limit, *usage, *stat, *cache;
  };
  // cgroup v2, then v1; the page cache's key in each one's memory.stat.
  for (const Files& f : {Files{"/memory.max", "/memory.current", "/memory.stat", "file"},
                         Files{"/memory/memory.limit_in_bytes", "/memory/memory.usage_in_bytes",
                               "/memory/memory.stat", "total_cache"}}) {
    const auto l = read_number(root + f.limit), u = read_number(root + f.usage);
    if (!l || !u) continue;
    // Usage counts the page cache, which the kernel reclaims before it kills: a split just read
    // would otherwise make a container look full.
    const std::uint64_t cache = stat_value(root + f.stat, f.cache).value_or(0);
    const std::uint64_t used = *u > cache ? *u - cache : 0;
    return *l > used ? *l - used : 0;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> memory_available_bytes() {
  if (const char* forced = std::getenv("IMAXBENCH_MEMORY_AVAILABLE"); forced && *forced) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(forced, &end, 10);
    if (end && *end == '\0') return v;
  }
  std::optional<std::uint64_t> out = mem_available();
  if (const auto c = cgroup_memory_left("/sys/fs/cgroup")) out = out ? std::min(*out, *c) : *c;
  return out;
}

std::optional<std::uint64_t> memory_short_for_reading(std::uint64_t bytes, std::uint64_t copies) {
  const auto available = memory_available_bytes();
  if (!available || copies * bytes <= *available) return std::nullopt;
  return available;
}

namespace {

std::uint64_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

void check_memory_left(std::uint64_t bytes) {
  const auto available = memory_available_bytes();
  if (!available) return;
  std::uint64_t left = *available;
  if (const char* forced = std::getenv("IMAXBENCH_MEMORY_AVAILABLE"); forced && *forced) {
    static const std::uint64_t first = resident_bytes();
    const std::uint64_t grown = std::max(resident_bytes(), first) - first;
    left = left > grown ? left - grown : 0;
  }
  if (left >= bytes + kMemoryReserve) return;
  throw Error("out of memory: scoring is about to take " + human_bytes(bytes) + " more and " +
              human_bytes(left) + " is available (MemAvailable, within any cgroup limit): imaxbench stops " +
              "here rather than leave less than " + human_bytes(kMemoryReserve) +
              " and be killed by the OOM killer (this process holds " +
              human_bytes(resident_bytes()) + "). Score fewer samples at a time (--tasks, or cut the splits "
              "into smaller suites), or without intervals (--bootstrap 0 needs less); text tasks take about "
              "7-10 kB per report (README, Performance)");
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) v /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 && u > 0 ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

}  // namespace imaxbench
