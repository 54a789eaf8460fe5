#include "metrics/text/jflex_regex.h"

#include <algorithm>
#include <stdexcept>

namespace imaxbench::jflex {

void CharSet::add(char32_t first, char32_t last) {
  if (first > last) return;
  ranges_.emplace_back(first, last);
  std::sort(ranges_.begin(), ranges_.end());
  std::vector<Range> merged;
  for (const auto& r : ranges_) {
    if (!merged.empty() && r.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  ranges_ = std::move(merged);
}

void CharSet::add(const CharSet& other) {
  for (const auto& r : other.ranges_) add(r.first, r.second);
}

CharSet CharSet::complement() const {
  CharSet out;
  char32_t next = 0;
  for (const auto& r : ranges_) {
    if (r.first > next) out.ranges_.emplace_back(next, r.first - 1);
    next = r.second + 1;
  }
  if (next <= kMaxUnit) out.ranges_.emplace_back(next, kMaxUnit);
  return out;
}

bool CharSet::contains(char32_t c) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), c,
                             [](char32_t x, const Range& r) { return x < r.first; });
  return it != ranges_.begin() && c <= std::prev(it)->second;
}

int Nfa::add_state(int set, int next, int next2) {
  states.push_back({set, next, next2});
  return static_cast<int>(states.size()) - 1;
}

int Nfa::intern(const CharSet& set) {
  for (std::size_t i = 0; i < sets.size(); ++i)
    if (sets[i] == set) return static_cast<int>(i);
  sets.push_back(set);
  return static_cast<int>(sets.size()) - 1;
}

Fragment RegexCompiler::concat(Fragment a, Fragment b) {
  nfa_.states[a.end].next = b.start;
  return {a.start, b.end};
}

// Recursive descent over one pattern; macros are compiled by nested parsers.
class RegexCompiler::Parser {
 public:
  Parser(RegexCompiler& c, std::string_view p) : c_(c), p_(p) {}

  Fragment parse() {
    Fragment f = alt();
    if (pos_ != p_.size()) fail("unexpected ')'");
    return f;
  }

 private:
  RegexCompiler& c_;
  std::string_view p_;
  std::size_t pos_ = 0;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument("regex '" + std::string(p_) + "' at " + std::to_string(pos_) +
                                ": " + what);
  }
  bool at_end() const { return pos_ >= p_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < p_.size() ? p_[pos_ + ahead] : '\0';
  }
  Nfa& nfa() { return c_.nfa_; }

  Fragment empty() {
    const int s = nfa().add_state();
    return {s, s};
  }
  Fragment unit(const CharSet& set) {
    const int end = nfa().add_state();
    return {nfa().add_state(nfa().intern(set), end), end};
  }
  Fragment either(Fragment a, Fragment b) {
    const int end = nfa().add_state();
    nfa().states[a.end].next = end;
    nfa().states[b.end].next = end;
    return {nfa().add_state(-1, a.start, b.start), end};
  }
  Fragment star(Fragment a) {
    const int end = nfa().add_state();
    const int loop = nfa().add_state(-1, a.start, end);
    nfa().states[a.end].next = loop;
    return {loop, end};
  }
  Fragment plus(Fragment a) {
    const int end = nfa().add_state();
    const int loop = nfa().add_state(-1, a.start, end);
    nfa().states[a.end].next = loop;
    return {a.start, end};
  }
  Fragment optional(Fragment a) {
    const int end = nfa().add_state();
    nfa().states[a.end].next = end;
    return {nfa().add_state(-1, a.start, end), end};
  }

  Fragment alt() {
    Fragment f = cat();
    while (peek() == '|') {
      ++pos_;
      f = either(f, cat());
    }
    return f;
  }

  Fragment cat() {
    Fragment f = empty();
    while (!at_end() && peek() != '|' && peek() != ')') f = c_.concat(f, postfix());
    return f;
  }

  int number() {
    if (!(peek() >= '0' && peek() <= '9')) fail("expected a number");
    int n = 0;
    while (peek() >= '0' && peek() <= '9') n = n * 10 + (p_[pos_++] - '0');
    return n;
  }

  Fragment postfix() {
    const std::size_t atom_begin = pos_;
    Fragment f = prefix();
    const std::size_t atom_end = pos_;
    bool modified = false;
    for (;;) {
      const char ch = peek();
      if (ch == '*' || ch == '+' || ch == '?') {
        ++pos_;
        f = ch == '*' ? star(f) : ch == '+' ? plus(f) : optional(f);
        modified = true;
      } else if (ch == '{' && peek(1) >= '0' && peek(1) <= '9') {
        if (modified) fail("repetition after another operator is not supported");
        ++pos_;
        const int lo = number();
        int hi = lo;
        if (peek() == ',') {
          ++pos_;
          hi = number();
        }
        if (peek() != '}' || hi < lo || hi == 0) fail("bad repetition");
        ++pos_;
        f = repeat(atom_begin, atom_end, lo, hi);
        modified = true;
      } else {
        return f;
      }
    }
  }

  // x{lo,hi} as lo copies of x followed by hi-lo optional copies; copies are compiled afresh.
  Fragment repeat(std::size_t begin, std::size_t end, int lo, int hi) {
    const std::size_t resume = pos_;
    Fragment out = empty();
    for (int i = 0; i < hi; ++i) {
      pos_ = begin;
      Fragment copy = prefix();
      if (pos_ != end) fail("internal: repetition copy");
      out = c_.concat(out, i < lo ? copy : optional(copy));
    }
    pos_ = resume;
    return out;
  }

  Fragment prefix() {
    if (peek() != '~') return atom();
    ++pos_;
    // ~x for a single-unit x: everything up to and including the first x.
    const CharSet x = single_unit();
    return c_.concat(star(unit(x.complement())), unit(x));
  }

  CharSet single_unit() {
    if (peek() == '[') {
      ++pos_;
      return char_class();
    }
    return literal_set(literal());
  }

  Fragment atom() {
    if (at_end()) fail("expected an expression");
    const char ch = peek();
    if (ch == '(') {
      ++pos_;
      Fragment f = alt();
      if (peek() != ')') fail("missing ')'");
      ++pos_;
      return f;
    }
    if (ch == '[' && predefined_class_end() != 0) {
      const std::size_t close = predefined_class_end();
      auto it = c_.classes_.find(p_.substr(pos_ + 2, close - pos_ - 2));
      if (it == c_.classes_.end()) fail("unknown predefined class");
      pos_ = close + 2;
      return unit(it->second);
    }
    if (ch == '[') {
      ++pos_;
      return unit(char_class());
    }
    if (ch == '{') {
      const std::size_t close = p_.find('}', pos_);
      if (close == std::string_view::npos) fail("unterminated macro");
      auto it = c_.macros_.find(p_.substr(pos_ + 1, close - pos_ - 1));
      if (it == c_.macros_.end()) fail("unknown macro");
      pos_ = close + 1;
      if (++c_.depth_ > 64) fail("macro recursion");
      Fragment f = Parser(c_, it->second).parse();
      --c_.depth_;
      return f;
    }
    if (ch == '.') {
      ++pos_;
      return unit(CharSet::of('\n').complement());
    }
    if (ch == '*' || ch == '+' || ch == '?' || ch == '|' || ch == ')') fail("misplaced operator");
    return unit(literal_set(literal()));
  }

  // Position of ":]" when a "[:name:]" starts here (name in lower-case letters), else 0.
  std::size_t predefined_class_end() const {
    if (peek() != '[' || peek(1) != ':') return 0;
    std::size_t i = pos_ + 2;
    while (i < p_.size() && p_[i] >= 'a' && p_[i] <= 'z') ++i;
    return i > pos_ + 2 && p_.substr(i, 2) == ":]" ? i : 0;
  }

  CharSet literal_set(char32_t c) const {
    CharSet s = CharSet::of(c);
    if (c_.caseless_ && c >= 'a' && c <= 'z') s.add(c - 32, c - 32);
    if (c_.caseless_ && c >= 'A' && c <= 'Z') s.add(c + 32, c + 32);
    return s;
  }

  int hex_digit(char ch) const {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    fail("bad hex digit");
  }

  // One literal unit: an escape or one UTF-8 encoded character.
  char32_t literal() {
    if (at_end()) fail("expected a character");
    const auto b = static_cast<unsigned char>(p_[pos_++]);
    if (b == '\\') {
      if (at_end()) fail("dangling backslash");
      const char e = p_[pos_++];
      if (e == 'u' || e == 'x') {
        const int n = e == 'u' ? 4 : 2;
        char32_t v = 0;
        for (int i = 0; i < n; ++i) v = v * 16 + hex_digit(p_[pos_++]);
        return v;
      }
      if (e >= '0' && e <= '7') {
        char32_t v = e - '0';
        for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; ++i) v = v * 8 + (p_[pos_++] - '0');
        return v;
      }
      switch (e) {
        case 't': return '\t';
        case 'n': return '\n';
        case 'r': return '\r';
        case 'f': return '\f';
        case 'b': return '\b';
        default: return static_cast<unsigned char>(e);
      }
    }
    if (b < 0x80) return b;
    const int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
    char32_t v = b & (0x3F >> extra);
    for (int i = 0; i < extra; ++i) v = (v << 6) | (static_cast<unsigned char>(p_[pos_++]) & 0x3F);
    if (v > kMaxUnit) fail("characters outside the BMP are not code units");
    return v;
  }

  // After '[': items up to the closing ']'.
  CharSet char_class() {
    bool negate = false;
    if (peek() == '^') {
      negate = true;
      ++pos_;
    }
    CharSet s;
    while (peek() != ']') {
      if (at_end()) fail("unterminated class");
      const char32_t lo = literal();
      if (peek() == '-' && peek(1) != ']' && pos_ + 1 < p_.size()) {
        ++pos_;
        const char32_t hi = literal();
        if (hi < lo) fail("bad range");
        s.add(lo, hi);
      } else {
        s.add(lo, lo);
      }
    }
    ++pos_;
    return negate ? s.complement() : s;
  }
};

Fragment RegexCompiler::compile(std::string_view pattern) { return Parser(*this, pattern).parse(); }

}  // namespace imaxbench::jflex
