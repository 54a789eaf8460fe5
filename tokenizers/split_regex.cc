// Hand-written matchers for the three split regexes. Oniguruma tries alternatives left to right
// and takes the first that matches (not the longest), backtracking inside greedy quantifiers;
// each branch below says which alternative it is and how its backtracking resolves.
#include "tokenizers/split_regex.h"

#include <cstdint>

#include "core/sacrebleu_unicode.h"
#include "tokenizers/unicode_tables.h"

namespace imaxbench {

namespace {

constexpr std::string_view kGpt2Regex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr std::string_view kLlama3Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kQwen2Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

enum Class : std::uint8_t { kLetter = 1, kNumber = 2, kSpace = 4, kNewline = 8 };

// The text as code points with their classes; offsets[k] is the byte offset of code point k.
struct Chars {
  std::vector<std::uint8_t> cls;
  std::vector<std::size_t> offsets;
  std::vector<char32_t> cps;
  std::size_t size() const { return cps.size(); }
  bool is(std::size_t k, std::uint8_t c) const { return k < cps.size() && (cls[k] & c) != 0; }
  // [^\s\p{L}\p{N}]
  bool other(std::size_t k) const { return k < cps.size() && (cls[k] & (kLetter | kNumber | kSpace)) == 0; }
  std::size_t run(std::size_t k, std::uint8_t c) const {
    while (is(k, c)) ++k;
    return k;
  }
};

std::uint8_t classify(char32_t cp) {
  std::uint8_t c = 0;
  if (is_unicode_letter(cp)) c |= kLetter;
  if (is_unicode_number(cp)) c |= kNumber;
  if (is_unicode_white_space(cp)) c |= kSpace;
  if (cp == '\r' || cp == '\n') c |= kNewline;
  return c;
}

// 's|'t|'re|'ve|'m|'ll|'d, case-insensitively when fold is set. Under Unicode simple case folding
// the only non-ASCII character equal to one of these letters is U+017F (long s) for 's'.
std::size_t contraction(const Chars& t, std::size_t i, bool fold) {
  if (t.cps[i] != '\'' || i + 1 >= t.size()) return 0;
  auto eq = [&](std::size_t k, char32_t lower) {
    if (k >= t.size()) return false;
    const char32_t x = t.cps[k];
    if (x == lower) return true;
    if (!fold) return false;
    return x == lower - 0x20 || (lower == 's' && x == 0x17F);
  };
  if (eq(i + 1, 's') || eq(i + 1, 't') || eq(i + 1, 'm') || eq(i + 1, 'd')) return i + 2;
  if ((eq(i + 1, 'r') || eq(i + 1, 'v')) && eq(i + 2, 'e')) return i + 3;
  if (eq(i + 1, 'l') && eq(i + 2, 'l')) return i + 3;
  return 0;
}

// \s+(?!\S) then \s+: the whole whitespace run when it ends the text or is one character long
// (the second alternative takes that one), else the run less its last character, which is left
// to start the next piece (" word").
std::size_t whitespace(const Chars& t, std::size_t i) {
  const std::size_t j = t.run(i, kSpace);
  if (j == i) return 0;
  if (j == t.size() || j - 1 == i) return j;
  return j - 1;
}

// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
std::size_t match_gpt2(const Chars& t, std::size_t i) {
  if (std::size_t end = contraction(t, i, false)) return end;
  // " ?X+": with the space when X follows it, else X+ at i (a space is none of the three X).
  const std::size_t start = t.cps[i] == ' ' ? i + 1 : i;
  if (t.is(start, kLetter)) return t.run(start, kLetter);
  if (t.is(start, kNumber)) return t.run(start, kNumber);
  if (t.other(start)) {
    std::size_t k = start;
    while (t.other(k)) ++k;
    return k;
  }
  return whitespace(t, i);
}

// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,max_digits}|
//  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
std::size_t match_llama3(const Chars& t, std::size_t i, std::size_t max_digits) {
  if (std::size_t end = contraction(t, i, true)) return end;
  if (t.is(i, kLetter)) return t.run(i, kLetter);
  if (!t.is(i, kLetter | kNumber | kNewline) && t.is(i + 1, kLetter)) return t.run(i + 1, kLetter);
  if (t.is(i, kNumber)) {
    std::size_t k = i;
    while (k - i < max_digits && t.is(k, kNumber)) ++k;
    return k;
  }
  const std::size_t start = t.cps[i] == ' ' ? i + 1 : i;
  if (t.other(start)) {
    std::size_t k = start;
    while (t.other(k)) ++k;
    return t.run(k, kNewline);
  }
  // \s*[\r\n]+: \s* backtracks to the last line break of the whitespace run, which [\r\n]+ takes.
  const std::size_t j = t.run(i, kSpace);
  for (std::size_t k = j; k > i; --k)
    if (t.is(k - 1, kNewline)) return k;
  return whitespace(t, i);
}

std::size_t match_at(SplitPattern pattern, const Chars& t, std::size_t i) {
  switch (pattern) {
    case SplitPattern::kGpt2: return match_gpt2(t, i);
    case SplitPattern::kLlama3: return match_llama3(t, i, 3);
    case SplitPattern::kQwen2: return match_llama3(t, i, 1);
  }
  return 0;
}

}  // namespace

std::optional<SplitPattern> find_split_pattern(std::string_view regex) {
  if (regex == kGpt2Regex) return SplitPattern::kGpt2;
  if (regex == kLlama3Regex) return SplitPattern::kLlama3;
  if (regex == kQwen2Regex) return SplitPattern::kQwen2;
  return std::nullopt;
}

std::string split_pattern_text(SplitPattern pattern) {
  switch (pattern) {
    case SplitPattern::kGpt2: return std::string(kGpt2Regex);
    case SplitPattern::kLlama3: return std::string(kLlama3Regex);
    case SplitPattern::kQwen2: return std::string(kQwen2Regex);
  }
  return {};
}

void split_isolated(SplitPattern pattern, std::string_view text,
                    std::vector<std::string_view>& pieces) {
  thread_local Chars t;
  t.cps.clear();
  t.cls.clear();
  t.offsets.clear();
  for (std::size_t i = 0; i < text.size();) {
    t.offsets.push_back(i);
    const char32_t cp = utf8_next(text, i);
    t.cps.push_back(cp);
    t.cls.push_back(classify(cp));
  }
  t.offsets.push_back(text.size());
  std::size_t gap = 0;  // start of the unmatched stretch before i
  for (std::size_t i = 0; i < t.size();) {
    const std::size_t end = match_at(pattern, t, i);
    if (end <= i) {
      ++i;
      continue;
    }
    if (gap < i) pieces.push_back(text.substr(t.offsets[gap], t.offsets[i] - t.offsets[gap]));
    pieces.push_back(text.substr(t.offsets[i], t.offsets[end] - t.offsets[i]));
    i = gap = end;
  }
  if (gap < t.size()) pieces.push_back(text.substr(t.offsets[gap]));
}

}  // namespace imaxbench
