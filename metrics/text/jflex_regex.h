// A small compiler for JFlex 1.4 regular expressions into a Thompson NFA, so a JFlex scanner
// specification (here: pycocoevalcap's PTB tokenizer) can be ported as its patterns and run with
// JFlex's own matching rules instead of being re-derived by hand.
//
// Supported syntax: literals, escapes (\t \n \r \f \0 \xXX \uXXXX, \c = c), '.' (any unit but
// \n), classes [a-z...] and [^...] (a '-' first or last is literal, [^] is any unit), predefined
// classes [:name:], macros {NAME}, groups, '|', '*', '+', '?', '{n}', '{n,m}', and the JFlex
// "upto" operator '~' on a single-unit expression. With `caseless` an ASCII letter outside a
// class also matches its other case (JFlex's %caseless does not expand classes).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imaxbench::jflex {

// JFlex 1.4 scans UTF-16 code units.
inline constexpr char32_t kMaxUnit = 0xFFFF;

// A set of code units as sorted, disjoint, inclusive ranges.
class CharSet {
 public:
  using Range = std::pair<char32_t, char32_t>;
  CharSet() = default;
  static CharSet of(char32_t c) { CharSet s; s.add(c, c); return s; }
  static CharSet all() { CharSet s; s.add(0, kMaxUnit); return s; }

  void add(char32_t first, char32_t last);
  void add(const CharSet& other);
  CharSet complement() const;
  bool contains(char32_t c) const;
  bool empty() const { return ranges_.empty(); }
  const std::vector<Range>& ranges() const { return ranges_; }
  bool operator==(const CharSet&) const = default;

 private:
  std::vector<Range> ranges_;
};

struct NfaState {
  int set = -1;    // index into Nfa::sets: consumes one unit in that set; -1: epsilon
  int next = -1;   // successor
  int next2 = -1;  // second epsilon successor (alternation and loops)
};

struct Nfa {
  std::vector<NfaState> states;
  std::vector<CharSet> sets;  // distinct sets, deduplicated
  int add_state(int set = -1, int next = -1, int next2 = -1);
  int intern(const CharSet& set);
};

// A compiled expression: runs from `start` to `end`, an epsilon state without successors.
struct Fragment {
  int start = -1;
  int end = -1;
};

// Compiles patterns into one shared Nfa. Throws std::invalid_argument on a malformed pattern
// (a programming error in a built-in specification, never user input).
class RegexCompiler {
 public:
  RegexCompiler(Nfa& nfa, const std::map<std::string, std::string, std::less<>>& macros,
                const std::map<std::string, CharSet, std::less<>>& classes, bool caseless)
      : nfa_(nfa), macros_(macros), classes_(classes), caseless_(caseless) {}

  Fragment compile(std::string_view pattern);
  // Appends b after a; returns the joined fragment.
  Fragment concat(Fragment a, Fragment b);

 private:
  class Parser;
  Nfa& nfa_;
  const std::map<std::string, std::string, std::less<>>& macros_;
  const std::map<std::string, CharSet, std::less<>>& classes_;
  bool caseless_;
  int depth_ = 0;
};

}  // namespace imaxbench::jflex
