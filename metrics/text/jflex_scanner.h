// JFlex's matching rules over a list of rules compiled by jflex_regex.h: at each position the
// longest match wins, the earliest rule among equally long ones; a rule "r1/r2" (trailing
// context) counts r1 r2 for the length and leaves the text matched by r2 unconsumed, splitting at
// the longest r1 whose rest matches r2 (what JFlex 1.4.3's generated code does).
//
// The NFA is turned into a DFA lazily, one cache per thread (no locks), so only the states that
// real text reaches are ever built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/text/jflex_regex.h"

namespace imaxbench::jflex {

struct Rule {
  std::string pattern;    // r1
  std::string lookahead;  // r2 of "r1/r2"; empty when the rule has no trailing context
};

struct Spec {
  std::map<std::string, std::string, std::less<>> macros;
  std::map<std::string, CharSet, std::less<>> classes;  // [:name:]
  std::vector<Rule> rules;                               // in priority order
  bool caseless = false;
};

struct Match {
  int rule = -1;              // winning rule, -1 when none matches
  std::size_t end = 0;        // end of r1 r2
  std::size_t token_end = 0;  // end of r1: where scanning resumes
};

class Scanner {
 public:
  explicit Scanner(const Spec& spec);

  // The longest match at units[pos] (pos < units.size()).
  Match match(std::u16string_view units, std::size_t pos) const;

  struct DfaCache;

 private:
  struct RuleParts {
    Fragment head;  // r1 alone
    Fragment tail;  // r2 alone
    bool has_tail = false;
    int head_length = -1;  // when every match of r1 has this length, else -1
    int tail_length = -1;  // likewise for r2
  };

  int unit_class(char16_t u) const { return unit_class_[u]; }
  bool steps(int state, int cls) const {
    const int set = nfa_.states[state].set;
    return set >= 0 && set_has_class_[static_cast<std::size_t>(set) * num_classes_ + cls];
  }
  // Replaces `states` by their epsilon closure (consuming and accepting states only unless
  // keep_all), using the cache's scratch space.
  void closure(DfaCache& cache, std::vector<int>& states, bool keep_all) const;
  int fixed_length(const Fragment& frag) const;
  int dfa_state(DfaCache& cache, std::vector<int>&& states) const;
  int build_transition(DfaCache& cache, int from, int cls) const;
  DfaCache& cache() const;
  // Positions p in [from, to] (as p - from) where `frag` matches units[from, p) exactly.
  void match_ends(DfaCache& cache, const Fragment& frag, std::u16string_view units,
                  std::size_t from, std::size_t to, std::vector<char>& ends) const;
  std::size_t split(const RuleParts& parts, std::u16string_view units, std::size_t from,
                    std::size_t to) const;

  Nfa nfa_;
  int start_ = -1;
  std::vector<int> accept_rule_;  // per NFA state: the rule it completes, or -1
  std::vector<RuleParts> parts_;
  std::vector<std::uint16_t> unit_class_;  // code unit -> equivalence class
  int num_classes_ = 0;
  std::vector<char> set_has_class_;  // sets x classes
};

}  // namespace imaxbench::jflex
