// The project's one random generator, shared by the bootstrap (metrics/bootstrap.h) and the
// baseline's image projection (backends/image_index.h), so both draw the same numbers everywhere.
#pragma once

#include <cstdint>
#include <limits>

namespace imaxbench {

// Deterministic 64-bit generator (splitmix64) with unbiased bounded draws; the standard library's
// distributions differ between implementations, which would make intervals non-portable. Inline:
// a resample draws once per sample (10^8 draws for 1,000 resamples of 100,000), and a loop of
// draws below one bound then computes the rejection limit (a division) once, not per draw.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound): rejection sampling drops the top partial range so every value is
  // equally likely.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                                std::numeric_limits<std::uint64_t>::max() % bound;
    std::uint64_t x;
    do x = next(); while (x >= limit);
    return x % bound;
  }

 private:
  std::uint64_t state_;
};

}  // namespace imaxbench
