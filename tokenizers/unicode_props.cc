// Lookups over the generated tables (unicode_tables.cc). ASCII, the hot path of report text, is
// answered without a search.
#include <algorithm>
#include <span>

#include "tokenizers/unicode_tables.h"

namespace imaxbench {

namespace {

bool in_ranges(std::span<const CodePointRange> ranges, char32_t cp) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                             [](char32_t c, const CodePointRange& r) { return c < r.first; });
  return it != ranges.begin() && cp <= std::prev(it)->last;
}

constexpr bool ascii_letter(char32_t cp) { return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'; }

}  // namespace

bool is_unicode_letter(char32_t cp) {
  if (cp < 0x80) return ascii_letter(cp);
  return in_ranges({kLetterRanges, kLetterRangesSize}, cp);
}

bool is_unicode_number(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return in_ranges({kNumberRanges, kNumberRangesSize}, cp);
}

// The White_Space property (PropList.txt), which Oniguruma's \s and Rust's char::is_whitespace
// both use. Unlike Python's str.isspace() it excludes U+001C..U+001F. Stable since Unicode 6.3.
bool is_unicode_white_space(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::uint8_t canonical_combining_class(char32_t cp) {
  if (cp < 0x300) return 0;
  std::span<const CombiningClassRange> table{kCombiningClasses, kCombiningClassesSize};
  auto it = std::upper_bound(table.begin(), table.end(), cp,
                             [](char32_t c, const CombiningClassRange& r) { return c < r.first; });
  if (it == table.begin() || cp > std::prev(it)->last) return 0;
  return std::prev(it)->ccc;
}

}  // namespace imaxbench
