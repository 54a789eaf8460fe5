#include "core/sacrebleu_unicode.h"

#include <algorithm>
#include <span>

#include "core/sacrebleu_unicode_tables.h"

namespace imaxbench {

namespace {

bool in_ranges(std::span<const CodeRange> ranges, char32_t cp) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                             [](char32_t c, const CodeRange& r) { return c < r.first; });
  return it != ranges.begin() && cp <= std::prev(it)->last;
}

bool is_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

// CPython's handle_capital_sigma: final when a cased letter precedes (case-ignorables skipped)
// and no cased letter follows (case-ignorables skipped).
bool final_sigma(std::u32string_view s, std::size_t i) {
  std::size_t j = i;
  bool cased_before = false;
  while (j > 0) {
    const char32_t c = s[--j];
    if (in_ranges(kPyCaseIgnorable, c)) continue;
    cased_before = in_ranges(kPyCased, c);
    break;
  }
  if (!cased_before) return false;
  for (j = i + 1; j < s.size(); ++j) {
    const char32_t c = s[j];
    if (in_ranges(kPyCaseIgnorable, c)) continue;
    return !in_ranges(kPyCased, c);
  }
  return true;
}

bool ascii_only(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

constexpr bool ascii_space(unsigned char c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}

// Byte length of the Python whitespace character at s[i], or 0.
std::size_t space_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return ascii_space(c) ? 1 : 0;
  std::size_t k = i;
  const char32_t cp = utf8_next(s, k);
  return py_isspace(cp) ? k - i : 0;
}

}  // namespace

char32_t utf8_next(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) len = 2, cp = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) len = 3, cp = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) len = 4, cp = b0 & 0x07, min = 0x10000;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return kRawByteBase + b0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (!is_cont(b)) {
      ++i;
      return kRawByteBase + b0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kRawByteBase + b0;
  }
  i += len;
  return cp;
}

void utf8_append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp >= kRawByteBase) {
    out.push_back(static_cast<char>(cp - kRawByteBase));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::u32string utf8_decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(utf8_next(s, i));
  return out;
}

std::string utf8_encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t cp : s) utf8_append(out, cp);
  return out;
}

bool py_isspace(char32_t cp) { return in_ranges(kPySpace, cp); }
bool py_isdecimal(char32_t cp) {
  return cp < 0x80 ? (cp >= '0' && cp <= '9') : in_ranges(kPyDecimal, cp);
}
bool regex_is_number(char32_t cp) { return in_ranges(kRegexNumber, cp); }
bool regex_is_punct(char32_t cp) { return in_ranges(kRegexPunct, cp); }
bool regex_is_symbol(char32_t cp) { return in_ranges(kRegexSymbol, cp); }

void py_lower_cp(char32_t cp, std::u32string& out) {
  if (cp < 0x80) {
    out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
    return;
  }
  if (cp == 0x130) {  // LATIN CAPITAL LETTER I WITH DOT ABOVE: "i" + COMBINING DOT ABOVE
    out.push_back(U'i');
    out.push_back(0x307);
    return;
  }
  auto it = std::upper_bound(kPyLower.begin(), kPyLower.end(), cp,
                             [](char32_t c, const LowerRun& r) { return c < r.first; });
  if (it != kPyLower.begin()) {
    const LowerRun& run = *std::prev(it);
    if (cp <= run.last && (cp - run.first) % static_cast<char32_t>(run.stride) == 0) {
      out.push_back(static_cast<char32_t>(static_cast<int>(cp) + run.delta));
      return;
    }
  }
  out.push_back(cp);
}

std::u32string py_lower(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 0x3A3) out.push_back(final_sigma(s, i) ? 0x3C2 : 0x3C3);
    else py_lower_cp(s[i], out);
  }
  return out;
}

std::string py_lower(std::string_view s) {
  if (ascii_only(s)) {
    std::string out(s);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
  }
  return utf8_encode(py_lower(utf8_decode(s)));
}

std::vector<std::string_view> py_split(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0, start = std::string_view::npos;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    bool space;
    if (c < 0x80) {
      space = ascii_space(c);
    } else {
      std::size_t k = i;
      space = py_isspace(utf8_next(s, k));
      len = k - i;
    }
    if (space) {
      if (start != std::string_view::npos) words.push_back(s.substr(start, i - start));
      start = std::string_view::npos;
    } else if (start == std::string_view::npos) {
      start = i;
    }
    i += len;
  }
  if (start != std::string_view::npos) words.push_back(s.substr(start));
  return words;
}

std::string_view py_rstrip(std::string_view s) {
  // Fast path: trailing ASCII whitespace ends at an ASCII non-space byte.
  std::size_t end = s.size();
  while (end > 0 && ascii_space(static_cast<unsigned char>(s[end - 1]))) --end;
  if (end == 0 || static_cast<unsigned char>(s[end - 1]) < 0x80) return s.substr(0, end);
  end = 0;  // end of the last non-space character, scanning forward
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = space_at(s, i);
    if (n > 0) {
      i += n;
    } else {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) ++i;
      else utf8_next(s, i);
      end = i;
    }
  }
  return s.substr(0, end);
}

std::string_view py_strip(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const std::size_t n = space_at(s, begin);
    if (n == 0) break;
    begin += n;
  }
  return py_rstrip(s.substr(begin));
}

}  // namespace imaxbench
