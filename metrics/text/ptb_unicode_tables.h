// The JFlex character classes of pycocoevalcap's PTB tokenizer (CoreNLP 3.4.1's PTBLexer) over
// UTF-16 code units: [:letter:], [:digit:], [:uppercase:]. Generated into ptb_unicode_tables.cc
// by tests/golden/gen_ptb_unicode_tables.py. Sorted, disjoint, inclusive.
#pragma once

#include <span>

namespace imaxbench {

struct CodeUnitRange {
  char16_t first, last;
};

extern const std::span<const CodeUnitRange> kPtbLetter;  // Character.isLetter (BMP)
extern const std::span<const CodeUnitRange> kPtbDigit;   // Character.isDigit (BMP)
extern const std::span<const CodeUnitRange> kPtbUpper;   // Character.isUpperCase (BMP)

}  // namespace imaxbench
