// Fuzzes sacreBLEU's tokenizers (metrics/text/sacrebleu_tokenizers.h, sacrebleu_13a_words.h).
// The first input byte picks the tokenizer (mod 3: 13a, intl, none) and lower-casing (bit 2); the
// rest is one segment. Checked:
//  - BLEU's words are never empty and hold no Python whitespace (they are str.split() words);
//  - words_13a, the fast path, equals tokenizer_re.py's four re.sub passes done literally on
//    f" {line} " followed by str.split() (the reference below, written from sacreBLEU 2.5.1).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "metrics/text/sacrebleu_13a_words.h"
#include "metrics/text/sacrebleu_tokenizers.h"
#include "core/sacrebleu_unicode.h"

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_dot_comma(char c) { return c == '.' || c == ','; }

// re.sub of a two-character pattern: left to right, non-overlapping.
template <class Match, class Emit>
std::string sub2(const std::string& in, Match match, Emit emit) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    if (i + 1 < in.size() && match(in[i], in[i + 1])) {
      out += emit(in[i], in[i + 1]);
      i += 2;
    } else {
      out += in[i++];
    }
  }
  return out;
}

// TokenizerRegexp.__call__ on Tokenizer13a's f" {line} ", before ' '.join(line.split()).
std::string reference_13a_spaced(std::string_view line) {
  std::string s = " ";
  for (char c : line) {  // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> ' \1 '
    if (imaxbench::kSplit13a[static_cast<unsigned char>(c)]) {
      s += ' ';
      s += c;
      s += ' ';
    } else {
      s += c;
    }
  }
  s += ' ';
  // ([^0-9])([\.,]) -> '\1 \2 '
  s = sub2(s, [](char x, char y) { return !is_digit(x) && is_dot_comma(y); },
           [](char x, char y) { return std::string{x, ' ', y, ' '}; });
  // ([\.,])([^0-9]) -> ' \1 \2'
  s = sub2(s, [](char x, char y) { return is_dot_comma(x) && !is_digit(y); },
           [](char x, char y) { return std::string{' ', x, ' ', y}; });
  // ([0-9])(-) -> '\1 \2 '
  s = sub2(s, [](char x, char y) { return is_digit(x) && y == '-'; },
           [](char x, char y) { return std::string{x, ' ', y, ' '}; });
  return s;
}

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "%s; segment (%zu bytes): ", what, text.size());
  for (unsigned char c : text) std::fprintf(stderr, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
  std::fprintf(stderr, "\n");
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr imaxbench::SacreBleuTokenizer kToks[] = {
      imaxbench::SacreBleuTokenizer::k13a, imaxbench::SacreBleuTokenizer::kIntl,
      imaxbench::SacreBleuTokenizer::kNone};
  const unsigned sel = imaxbench::fuzz::take_byte(data, size);
  const std::string_view text = imaxbench::fuzz::as_view(data, size);

  std::string buffer;
  const std::vector<std::string_view> words =
      imaxbench::sacrebleu_words(text, kToks[sel % 3], (sel & 4u) != 0, buffer);
  for (std::string_view w : words) {
    if (w.empty()) fail("sacrebleu_words: an empty word", text);
    for (std::size_t i = 0; i < w.size();)
      if (imaxbench::py_isspace(imaxbench::utf8_next(w, i))) fail("sacrebleu_words: a word holds whitespace", text);
  }
  const std::string t13a = imaxbench::sacrebleu_tokenize_13a(text);
  const std::string tintl = imaxbench::sacrebleu_tokenize_intl(text);
  (void)t13a;
  (void)tintl;

  std::vector<std::string_view> fast;
  imaxbench::words_13a(text, fast);
  const std::string spaced = reference_13a_spaced(text);
  const std::vector<std::string_view> slow = imaxbench::py_split(spaced);
  if (fast.size() != slow.size()) fail("words_13a differs from tokenizer_re.py (word count)", text);
  for (std::size_t i = 0; i < fast.size(); ++i)
    if (fast[i] != slow[i]) fail("words_13a differs from tokenizer_re.py", text);
  return 0;
}
