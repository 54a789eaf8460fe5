#include "tasks/number_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <span>

namespace imaxbench {
namespace {

struct Scanned {
  double value = 0;
  std::size_t begin = 0;  // offset in the text
  bool percent = false;
  bool fraction = false;
};

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::size_t digits_from(std::string_view t, std::size_t i) {
  std::size_t j = i;
  while (j < t.size() && is_digit(t[j])) ++j;
  return j - i;
}

// One unsigned number starting at i (a digit, or '.' before a digit). Sets `end`.
double lex_unsigned(std::string_view t, std::size_t i, std::size_t& end) {
  std::string digits;
  std::size_t j = i;
  const std::size_t int_len = digits_from(t, j);
  digits.append(t.substr(j, int_len));
  j += int_len;
  // Thousands groups "1,234,567": 1-3 leading digits then groups of exactly 3 not followed by a digit.
  bool grouped = false;
  if (int_len >= 1 && int_len <= 3 && !(int_len == 1 && t[i] == '0')) {
    std::size_t k = j;
    std::string groups;
    while (k + 4 <= t.size() && t[k] == ',' && digits_from(t, k + 1) == 3) {
      groups.append(t.substr(k + 1, 3));
      k += 4;
    }
    if (!groups.empty()) {
      digits += groups;
      j = k;
      grouped = true;
    }
  }
  // Decimal point or decimal comma followed by a digit; a lone period ends a sentence.
  if (j + 1 < t.size() && (t[j] == '.' || (t[j] == ',' && !grouped)) && is_digit(t[j + 1])) {
    const std::size_t frac_len = digits_from(t, j + 1);
    digits += '.';
    digits.append(t.substr(j + 1, frac_len));
    j += 1 + frac_len;
  }
  end = j;
  if (digits.empty() || digits[0] == '.') digits.insert(digits.begin(), '0');
  return std::strtod(digits.c_str(), nullptr);
}

bool starts_number(std::string_view t, std::size_t i) {
  if (is_digit(t[i])) return true;
  return t[i] == '.' && i + 1 < t.size() && is_digit(t[i + 1]) && (i == 0 || !is_alnum(t[i - 1]));
}

// Digits glued to a word before them ("T2", "COVID-19", "v1.5") are labels, not quantities.
bool glued_to_word(std::string_view t, std::size_t i) {
  if (i == 0) return false;
  if (is_alpha(t[i - 1])) return true;
  return t[i - 1] == '-' && i >= 2 && is_alpha(t[i - 2]);
}

std::size_t skip_spaces(std::string_view t, std::size_t i) {
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  return i;
}

bool word_at(std::string_view t, std::size_t i, std::string_view word) {
  if (i + word.size() > t.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(t[i + k])) != word[k]) return false;
  return i + word.size() == t.size() || !is_alpha(t[i + word.size()]);
}

std::vector<Scanned> scan(std::string_view t) {
  std::vector<Scanned> out;
  std::size_t i = 0;
  while (i < t.size()) {
    if (!starts_number(t, i)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    double value = lex_unsigned(t, i, end);
    if (glued_to_word(t, i)) {
      i = end;
      continue;
    }
    if (i >= 1 && t[i - 1] == '-' && (i == 1 || !is_alnum(t[i - 2]))) value = -value;
    Scanned s{value, i};
    std::size_t k = skip_spaces(t, end);
    if (k < t.size() && t[k] == '%') {
      s.value /= 100;
      s.percent = true;
      end = k + 1;
    } else if (word_at(t, k, "percent")) {
      s.value /= 100;
      s.percent = true;
      end = k + 7;
    } else if (k < t.size() && t[k] == '/') {
      std::size_t d = skip_spaces(t, k + 1);
      if (d < t.size() && starts_number(t, d)) {
        std::size_t dend = d;
        const double denom = lex_unsigned(t, d, dend);
        // A zero denominator makes the whole fraction unusable, not its numerator a ratio.
        s.value = denom > 0 ? s.value / denom : NAN;
        s.fraction = true;
        end = dend;
      }
    }
    out.push_back(s);
    i = end;
  }
  return out;
}

std::string show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

constexpr std::array<std::string_view, 3> kCtrNames = {"ctr", "cardiothoracic", "cardio-thoracic"};
constexpr std::array<std::string_view, 4> kCparNames = {"cpar", "cardiopulmonary", "cardio-pulmonary", "area ratio"};

std::string to_lower(std::string_view t) {
  std::string out(t);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Offset of the first name starting a word at or after `from`; npos when none.
std::size_t first_of(const std::string& lower, std::span<const std::string_view> names, std::size_t from = 0) {
  std::size_t best = std::string::npos;
  if (from == std::string::npos) return best;
  for (auto name : names) {
    for (auto at = lower.find(name, from); at != std::string::npos; at = lower.find(name, at + 1)) {
      if (at == 0 || !is_alpha(lower[at - 1])) {
        best = std::min(best, at);
        break;
      }
    }
  }
  return best;
}

}  // namespace

std::vector<double> scan_numbers(std::string_view text) {
  std::vector<double> out;
  for (const auto& s : scan(text)) out.push_back(s.value);
  return out;
}

NumberParse parse_ratio_answer(std::string_view text, std::string_view quantity) {
  NumberParse out;
  const auto numbers = scan(text);
  auto plausible = [](const Scanned& n) {
    return std::isfinite(n.value) && n.value >= 0 && n.value <= kMaxPlausibleRatio;
  };
  if (quantity == "ctr" || quantity == "cpar") {
    const bool ctr = quantity == "ctr";
    const std::span<const std::string_view> ctr_names(kCtrNames), cpar_names(kCparNames);
    const auto own_names = ctr ? ctr_names : cpar_names;
    const auto other_names = ctr ? cpar_names : ctr_names;
    const auto lower = to_lower(text);
    const std::size_t own = first_of(lower, own_names);
    const std::size_t other = first_of(lower, other_names, own);
    if (own != std::string::npos && first_of(lower, other_names) != std::string::npos) {
      for (const auto& n : numbers) {
        if (n.begin <= own || n.begin >= other || !plausible(n)) continue;
        out.ok = true;
        out.value = n.value;
        out.note = "both quantities named; took the number after '" + std::string(quantity) + "'";
        return out;
      }
    }
  }
  std::string skipped;
  for (const auto& n : numbers) {
    if (plausible(n)) {
      out.ok = true;
      out.value = n.value;
      if (n.percent) out.note = "read a percentage as " + show(n.value);
      if (n.fraction) out.note = "read a fraction as " + show(n.value);
      if (!skipped.empty())
        out.note += (out.note.empty() ? "" : "; ") + std::string("skipped ") + skipped;
      return out;
    }
    skipped += (skipped.empty() ? "" : ", ") + show(n.value);
  }
  out.note = numbers.empty() ? "no number found"
                             : "no ratio in [0, 1.5] among the numbers found (" + skipped + ")";
  return out;
}

}  // namespace imaxbench
