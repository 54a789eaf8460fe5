#include "tasks/number_parser.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

namespace imaxbench {
namespace {

struct Scanned {
  double value = 0;
  std::size_t begin = 0;  // offset in the text
  bool percent = false;
  bool fraction = false;
};

// ASCII classes, as <cctype> reads them in the "C" locale (the program never sets another).
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t digits_from(std::string_view t, std::size_t i) {
  std::size_t j = i;
  while (j < t.size() && is_digit(t[j])) ++j;
  return j - i;
}

// One unsigned number starting at i (a digit, or '.' before a digit). Sets `end`. `digits` is
// scratch space, reused across calls. Reads each character of the number a bounded number of
// times (the thousands-group test stops at the first group that is not exactly 3 digits).
double lex_unsigned(std::string_view t, std::size_t i, std::size_t& end, std::string& digits) {
  digits.clear();
  std::size_t j = i;
  const std::size_t int_len = digits_from(t, j);
  digits.append(t.substr(j, int_len));
  j += int_len;
  // Thousands groups "1,234,567": 1-3 leading digits then groups of exactly 3 not followed by a digit.
  bool grouped = false;
  if (int_len >= 1 && int_len <= 3 && !(int_len == 1 && t[i] == '0')) {
    std::size_t k = j;
    while (k + 4 <= t.size() && t[k] == ',' && digits_from(t, k + 1) == 3) {
      digits.append(t.substr(k + 1, 3));
      k += 4;
    }
    if (k != j) {
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
  // An exponent, "1.2e-1" or "5E+2": read as part of the number. Unread, "1.2e-1" was 1.2 (the "1"
  // after "e-" is glued to a letter), a wrong ratio scored as if the model had said it.
  if (j + 1 < t.size() && (t[j] == 'e' || t[j] == 'E')) {
    const std::size_t sign = t[j + 1] == '-' || t[j + 1] == '+' ? 1 : 0;
    if (const std::size_t exp_len = digits_from(t, j + 1 + sign); exp_len > 0) {
      digits.append(t.substr(j, 1 + sign + exp_len));
      j += 1 + sign + exp_len;
    }
  }
  end = j;
  if (digits.empty() || digits[0] == '.') digits.insert(digits.begin(), '0');
  // std::from_chars and strtod both round correctly, so they agree wherever from_chars answers;
  // out of double's range (where from_chars leaves the value alone) strtod gives inf or 0 as before.
  double value = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::strtod(digits.c_str(), nullptr);
  return value;
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
    if (lower(t[i + k]) != word[k]) return false;
  return i + word.size() == t.size() || !is_alpha(t[i + word.size()]);
}

// Calls f(number) for the numbers of `t` in order while f returns true. One forward pass that
// reads each character a bounded number of times (a digit run at most three times: the
// thousands-group test, the number itself, a digit-glued skip; spaces after a number twice), so
// it is linear in the text.
template <typename F>
void for_each_number(std::string_view t, F&& f) {
  std::string digits;
  std::size_t i = 0;
  while (i < t.size()) {
    if (!starts_number(t, i)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    double value = lex_unsigned(t, i, end, digits);
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
        const double denom = lex_unsigned(t, d, dend, digits);
        // A zero denominator makes the whole fraction unusable, not its numerator a ratio.
        s.value = denom > 0 ? s.value / denom : NAN;
        s.fraction = true;
        end = dend;
      }
    }
    if (!f(s)) return;
    i = end;
  }
}

// printf's "%g" (std::to_chars with general format and precision 6 writes the same characters,
// inf and nan included, several times faster).
void append_shown(std::string& out, double v) {
  char buf[32];
  std::to_chars_result r;
  if (v == std::floor(v) && std::fabs(v) < 1e6 && !(v == 0 && std::signbit(v)))
    r = std::to_chars(buf, buf + sizeof buf, static_cast<long>(v));  // what %g writes for these
  else
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  out.append(buf, r.ptr);
}

std::string show(double v) {
  std::string out;
  append_shown(out, v);
  return out;
}

constexpr std::array<std::string_view, 3> kCtrNames = {"ctr", "cardiothoracic", "cardio-thoracic"};
constexpr std::array<std::string_view, 4> kCparNames = {"cpar", "cardiopulmonary", "cardio-pulmonary", "area ratio"};

// Whether `name` (lower case) is at t[at], ignoring case.
bool name_at(std::string_view t, std::size_t at, std::string_view name) {
  if (t.size() - at < name.size()) return false;
  for (std::size_t k = 0; k < name.size(); ++k)
    if (lower(t[at + k]) != name[k]) return false;
  return true;
}

// Offset of the first name starting a word at or after `from`; npos when none. One forward scan
// that stops at the first hit, case-insensitive in place (no lower-cased copy).
std::size_t first_of(std::string_view t, std::span<const std::string_view> names, std::size_t from = 0) {
  if (from == std::string_view::npos) return from;
  for (std::size_t at = from; at < t.size(); ++at) {
    if (at > 0 && is_alpha(t[at - 1])) continue;
    for (auto name : names)
      if (name_at(t, at, name)) return at;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<double> scan_numbers(std::string_view text) {
  std::vector<double> out;
  for_each_number(text, [&](const Scanned& s) {
    out.push_back(s.value);
    return true;
  });
  return out;
}

NumberParse parse_ratio_answer(std::string_view text, std::string_view quantity) {
  NumberParse out;
  auto plausible = [](const Scanned& n) {
    return std::isfinite(n.value) && n.value >= 0 && n.value <= kMaxPlausibleRatio;
  };
  if (quantity == "ctr" || quantity == "cpar") {
    const bool ctr = quantity == "ctr";
    const std::span<const std::string_view> ctr_names(kCtrNames), cpar_names(kCparNames);
    const auto own_names = ctr ? ctr_names : cpar_names;
    const auto other_names = ctr ? cpar_names : ctr_names;
    const std::size_t own = first_of(text, own_names);
    const std::size_t other = first_of(text, other_names, own);
    const bool both = own != std::string::npos && first_of(text, other_names) != std::string::npos;
    if (own != std::string::npos) {
      // Numbers come in text order: none at or after `other` can qualify. A plausible number
      // before the name ("Step 1: ...", "on a scale from 0 to 1, the CTR is 0.55") is not the
      // answer; it was taken once (0 for that answer).
      std::optional<double> before;
      for_each_number(text, [&](const Scanned& n) {
        if (n.begin >= other) return false;
        if (!plausible(n)) return true;
        if (n.begin <= own) {
          if (!before) before = n.value;
          return true;
        }
        out.ok = true;
        out.value = n.value;
        return false;
      });
      if (out.ok && both) {
        out.note = "both quantities named; took the number after '" + std::string(quantity) + "'";
        return out;
      }
      if (out.ok && before) {
        out.note = "took the number after '" + std::string(quantity) + "'; skipped " + show(*before) + " before it";
        return out;
      }
      out = NumberParse{};  // no number after the name, or none before it: the rule below
    }
  }
  // The note names the first skipped numbers only: an answer of a million numbers must not carry
  // a note of megabytes.
  constexpr std::size_t kShownSkipped = 10;
  std::string skipped;
  std::size_t n_skipped = 0;
  bool any = false;
  std::optional<Scanned> first_plausible;
  for_each_number(text, [&](const Scanned& n) {
    any = true;
    if (plausible(n)) {
      first_plausible = n;
      return false;
    }
    if (++n_skipped <= kShownSkipped) {
      if (!skipped.empty()) skipped += ", ";
      append_shown(skipped, n.value);
    }
    return true;
  });
  if (n_skipped > kShownSkipped) skipped += " and " + std::to_string(n_skipped - kShownSkipped) + " more";
  if (first_plausible) {
    const Scanned& n = *first_plausible;
    out.ok = true;
    out.value = n.value;
    if (n.percent) out.note = "read a percentage as " + show(n.value);
    if (n.fraction) out.note = "read a fraction as " + show(n.value);
    if (!skipped.empty())
      out.note += (out.note.empty() ? "" : "; ") + std::string("skipped ") + skipped;
    return out;
  }
  out.note = !any ? "no number found"
                  : "no ratio in [0, 1.5] among the numbers found (" + skipped + ")";
  return out;
}

}  // namespace imaxbench
