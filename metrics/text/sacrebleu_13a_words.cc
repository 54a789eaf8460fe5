// Why this equals tokenizer_re.py followed by str.split():
//  - every rule only inserts spaces, so each final word is a substring of the line;
//  - the rules are re.sub passes over two-character patterns ([^0-9][.,], [.,][^0-9], [0-9]-)
//    plus the split class, and a Python whitespace character is none of digit, '.', ',', '-' and
//    is never consumed as a pattern's second character in a way that changes its neighbours (it
//    can only be the [^0-9] of [.,][^0-9], after which the next word starts a fresh pair, as it
//    would after an unmatched space). So the rules give the same breaks when run on each
//    whitespace-separated word alone, padded with one space each side, as the line's padding
//    and spaces give it;
//  - a word with no byte of the split class and no '.', ',' or '-' matches no rule: it is a word
//    as it stands. Only the others (about one in five in reports) run the rules.
#include "metrics/text/sacrebleu_13a_words.h"

#include <cstdint>

#include "core/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

enum ByteClass : std::uint8_t { kPlain, kSpace, kRule, kHigh };

constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 0x80) t[c] = kHigh;
    else if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) t[c] = kSpace;
    else if (kSplit13a[c] || c == '.' || c == ',' || c == '-') t[c] = kRule;
  }
  return t;
}();

// A character of the spaced word: pos is its offset in the word, -1 for an inserted space.
struct Tok {
  char c;
  std::int32_t pos;
};
constexpr Tok kInserted{' ', -1};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_dot_comma(char c) { return c == '.' || c == ','; }

// One re.sub pass of a two-character pattern: a match consumes both characters and emits the
// replacement; otherwise the first is kept and the scan moves on by one.
template <class Match, class Emit>
void sub(const std::vector<Tok>& in, std::vector<Tok>& out, Match match, Emit emit) {
  out.clear();
  for (std::size_t i = 0; i < in.size();) {
    if (i + 1 < in.size() && match(in[i].c, in[i + 1].c)) {
      emit(in[i], in[i + 1], out);
      i += 2;
    } else {
      out.push_back(in[i++]);
    }
  }
}

// The rules on one whitespace-free word (line offset `base`), appending its words.
void rule_words(std::string_view line, std::size_t base, std::size_t end,
                std::vector<std::string_view>& out) {
  thread_local std::vector<Tok> a, b;
  a.clear();
  a.push_back(kInserted);  // the line's padding, or the space before this word
  for (std::size_t k = base; k < end; ++k) {
    const Tok t{line[k], static_cast<std::int32_t>(k - base)};
    if (kSplit13a[static_cast<unsigned char>(t.c)]) {
      a.push_back(kInserted);
      a.push_back(t);
      a.push_back(kInserted);
    } else {
      a.push_back(t);
    }
  }
  a.push_back(kInserted);
  // ([^0-9])([\.,]) -> \1 \2 (space after)
  sub(a, b, [](char x, char y) { return !is_digit(x) && is_dot_comma(y); },
      [](Tok x, Tok y, std::vector<Tok>& o) { o.insert(o.end(), {x, kInserted, y, kInserted}); });
  // ([\.,])([^0-9]) -> space \1 space \2
  sub(b, a, [](char x, char y) { return is_dot_comma(x) && !is_digit(y); },
      [](Tok x, Tok y, std::vector<Tok>& o) { o.insert(o.end(), {kInserted, x, kInserted, y}); });
  // ([0-9])(-) -> \1 \2 (space after)
  sub(a, b, [](char x, char y) { return is_digit(x) && y == '-'; },
      [](Tok x, Tok y, std::vector<Tok>& o) { o.insert(o.end(), {x, kInserted, y, kInserted}); });
  // Characters between inserted spaces are consecutive in the word: nothing is dropped or moved.
  std::int32_t start = -1, stop = -1;
  for (const Tok& t : b) {
    if (t.pos >= 0) {
      if (start < 0) start = t.pos;
      stop = t.pos + 1;
    } else if (start >= 0) {
      out.push_back(line.substr(base + start, stop - start));
      start = -1;
    }
  }
  if (start >= 0) out.push_back(line.substr(base + start, stop - start));
}

}  // namespace

void words_13a(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t start = kNone;
  bool rules = false;  // the current word has a byte some rule matches
  auto flush = [&](std::size_t end) {
    if (start == kNone) return;
    if (rules) rule_words(line, start, end, out);
    else out.push_back(line.substr(start, end - start));
    start = kNone;
    rules = false;
  };
  for (std::size_t i = 0; i < line.size();) {
    const std::uint8_t cls = kClass[static_cast<unsigned char>(line[i])];
    if (cls == kSpace) {
      flush(i);
      ++i;
    } else if (cls == kHigh) {  // Python whitespace outside ASCII separates words too
      std::size_t next = i;
      if (py_isspace(utf8_next(line, next))) flush(i);
      else if (start == kNone) start = i;
      i = next;
    } else {
      if (start == kNone) start = i;
      rules = rules || cls == kRule;
      ++i;
    }
  }
  flush(line.size());
}

}  // namespace imaxbench
