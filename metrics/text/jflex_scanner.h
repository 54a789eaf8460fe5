// JFlex's matching rules over a list of rules compiled by jflex_regex.h: at each position the
// longest match wins, the earliest rule among equally long ones; a rule "r1/r2" (trailing
// context) counts r1 r2 for the length and leaves the text matched by r2 unconsumed, splitting at
// the longest r1 whose rest matches r2 (what JFlex 1.4.3's generated code does).
//
// The NFA is turned into a DFA lazily, one cache per thread (no locks), so only the states that
// real text reaches are ever built; so are r1 and r2 of the rules whose split needs a search.
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

  // A thread's lazily built DFAs (opaque). Fetching it is a thread_local lookup, which costs
  // as much as a short match: fetch it once per text and pass it to every match.
  struct DfaCache;
  DfaCache& thread_cache() const;

  // The longest match at units[pos] (pos < units.size()), with the calling thread's cache.
  Match match(DfaCache& cache, std::u16string_view units, std::size_t pos) const;
  Match match(std::u16string_view units, std::size_t pos) const {
    return match(thread_cache(), units, pos);
  }

 private:
  struct RuleParts {
    Fragment head;  // r1 alone
    Fragment tail;  // r2 alone
    bool has_tail = false;
    int head_length = -1;  // when every match of r1 has this length, else -1
    int tail_length = -1;  // likewise for r2
  };
  struct Dfa;

  int unit_class(char16_t u) const { return unit_class_[u]; }
  bool steps(int state, int cls) const {
    const int set = nfa_.states[state].set;
    return set >= 0 && set_has_class_[static_cast<std::size_t>(set) * num_classes_ + cls];
  }
  // Replaces `states` by their epsilon closure, keeping consuming states, accepting states and
  // `target` (a fragment's end), using the cache's scratch space.
  void closure(DfaCache& cache, std::vector<int>& states, int target) const;
  int fixed_length(const Fragment& frag) const;
  void reset(DfaCache& cache, Dfa& dfa, int start, int target) const;
  std::int32_t dfa_state(Dfa& dfa, std::vector<int>&& states) const;
  std::int32_t build_transition(DfaCache& cache, Dfa& dfa, std::int32_t from, int cls) const;
  // Whether units[from, to) is a whole match of the fragment `dfa` recognizes.
  bool matches(DfaCache& cache, Dfa& dfa, std::u16string_view units, std::size_t from,
               std::size_t to) const;
  std::size_t split(DfaCache& cache, int rule, std::u16string_view units, std::size_t from,
                    std::size_t to) const;

  Nfa nfa_;
  int start_ = -1;
  std::vector<int> accept_rule_;  // per NFA state: the rule it completes, or -1
  std::vector<RuleParts> parts_;
  std::vector<std::uint16_t> unit_class_;  // code unit -> equivalence class
  int num_classes_ = 0;
  std::size_t max_dfa_states_ = 0;
  std::vector<char> set_has_class_;  // sets x classes
};

}  // namespace imaxbench::jflex
