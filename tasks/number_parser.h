// Reads a ratio (cardiothoracic ratio, cardiopulmonary area ratio) out of a model's answer.
//
// Rules, in order:
//  - Numbers are scanned left to right: "0.52", ".48", "0,52" (a comma between digits is a decimal
//    comma unless it groups thousands: "1,234"), "5.2e-1" (an exponent), "-0.1" (sign kept so it
//    is rejected, not flipped).
//    A period not followed by a digit ends a sentence, not a number. Digits glued to a letter
//    before them ("T2", "COVID-19") are not numbers.
//  - "52%" and "52 percent" are divided by 100. "a/b" with b > 0 (e.g. "12.3/25.1", heart width
//    over thoracic width) is the quotient.
//  - The first number in the plausible ratio range [0, 1.5] is the answer; others (cm widths,
//    "52" without a percent sign) are skipped. No plausible number: unparsed, never 0.
//  - When the answer names the asked quantity (ctr/cardiothoracic, cpar/cardiopulmonary/area
//    ratio), the first plausible number after its first mention is taken, and before the other
//    quantity's name when both are named ("CTR 0.52, CPAR 0.41"): numbers before it are steps,
//    scales or view counts ("Step 1: ...", "on a scale from 0 to 1, the CTR is 0.55"). If there
//    is none, the rule above applies.
//
// Cost: O(n) time in the answer's length n. The scan moves forward only and reads each character
// a bounded number of times; parse_ratio_answer keeps no list of numbers (it stops at the first
// plausible one), and its note names the first 10 numbers it skipped and counts the rest.
// scan_numbers returns O(n) numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

inline constexpr double kMaxPlausibleRatio = 1.5;

struct NumberParse {
  bool ok = false;
  double value = 0;
  std::string note;  // why it failed, or what was assumed
};

// Every number the rules above find, after percent and fraction handling, in order.
std::vector<double> scan_numbers(std::string_view text);

// `quantity`: "ctr", "cpar" or empty (then only the first plausible number counts).
NumberParse parse_ratio_answer(std::string_view text, std::string_view quantity = {});

}  // namespace imaxbench
