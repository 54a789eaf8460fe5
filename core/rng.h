// The project's one random generator, shared by the bootstrap (metrics/bootstrap.h) and the
// baseline's image projection (backends/image_index.h), so both draw the same numbers everywhere.
#pragma once

#include <cstdint>

namespace imaxbench {

// Deterministic 64-bit generator (splitmix64) with unbiased bounded draws; the standard library's
// distributions differ between implementations, which would make intervals non-portable.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound);  // uniform in [0, bound)
 private:
  std::uint64_t state_;
};

}  // namespace imaxbench
