// Fuzzes the ratio parser (tasks/number_parser.h). The first input byte picks the asked quantity
// (mod 3: none, ctr, cpar); the rest is the answer. An accepted ratio must be finite and in the
// plausible range [0, kMaxPlausibleRatio]. scan_numbers runs on the same text.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_support.h"
#include "tasks/number_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::string_view kQuantities[] = {"", "ctr", "cpar"};
  const unsigned sel = imaxbench::fuzz::take_byte(data, size);
  const std::string_view text = imaxbench::fuzz::as_view(data, size);
  const imaxbench::NumberParse p = imaxbench::parse_ratio_answer(text, kQuantities[sel % 3]);
  if (p.ok && !(std::isfinite(p.value) && p.value >= 0 && p.value <= imaxbench::kMaxPlausibleRatio)) {
    std::fprintf(stderr, "accepted ratio %g\n", p.value);
    std::abort();
  }
  const auto numbers = imaxbench::scan_numbers(text);
  (void)numbers;
  return 0;
}
