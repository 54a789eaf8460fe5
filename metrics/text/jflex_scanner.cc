#include "metrics/text/jflex_scanner.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace imaxbench::jflex {

namespace {

// A DFA state is named by one int32: (row << 8) | (accepted rule + 1), where `row` is the offset
// of its transitions in Dfa::table. The scan loop then needs no multiply, touches one cache line
// a step and learns the accepted rule without another load. A fragment's DFA "accepts rule 0"
// where the fragment's end is reached.
constexpr int kRuleBits = 8;
constexpr std::int32_t kUnknown = -2;
constexpr std::int32_t kDead = -1;
constexpr std::int32_t row_of(std::int32_t state) { return state >> kRuleBits; }
constexpr int rule_of(std::int32_t state) { return (state & ((1 << kRuleBits) - 1)) - 1; }
constexpr bool accepts(std::int32_t state) { return rule_of(state) >= 0; }
// A DFA is dropped and rebuilt past this many states (adversarial text only), or sooner where
// its rows would not fit the state encoding.
constexpr std::size_t kMaxDfaStates = 20000;

}  // namespace

struct Scanner::Dfa {
  int start_nfa = -1;                  // the NFA state it starts from
  int target = -1;                     // the fragment's end state; -1 for the rules' DFA
  std::int32_t start = kUnknown;       // kUnknown until built
  std::vector<std::vector<int>> sets;  // NFA states (consuming or accepting) of each DFA state
  std::vector<std::int32_t> table;     // num_classes_ transitions a state: states, kDead, kUnknown
  std::unordered_map<std::string, std::int32_t> index;  // sorted NFA states -> state
};

struct Scanner::DfaCache {
  const Scanner* owner = nullptr;
  Dfa rules;
  std::vector<Dfa> heads, tails;  // per rule, r1 and r2 alone, built for searched splits only
  std::vector<std::uint32_t> mark;
  std::uint32_t stamp = 0;
  std::vector<int> stack, out;  // closure scratch
  std::vector<char> head_ends;
};

Scanner::Scanner(const Spec& spec) {
  RegexCompiler compiler(nfa_, spec.macros, spec.classes, spec.caseless);
  std::vector<int> rule_starts;
  std::vector<int> rule_ends;
  for (const Rule& rule : spec.rules) {
    // The whole rule r1 r2 for the DFA, and r1, r2 alone for splitting at the trailing context.
    Fragment whole = compiler.compile(rule.pattern);
    RuleParts parts;
    if (!rule.lookahead.empty()) {
      whole = compiler.concat(whole, compiler.compile(rule.lookahead));
      parts.head = compiler.compile(rule.pattern);
      parts.tail = compiler.compile(rule.lookahead);
      parts.has_tail = true;
      parts.head_length = fixed_length(parts.head);
      parts.tail_length = fixed_length(parts.tail);
    }
    parts_.push_back(parts);
    rule_starts.push_back(whole.start);
    rule_ends.push_back(whole.end);
  }
  // One start state branching to every rule.
  start_ = nfa_.add_state();
  int tail = start_;
  for (std::size_t r = 0; r < rule_starts.size(); ++r) {
    const int branch = nfa_.add_state(-1, rule_starts[r]);
    nfa_.states[tail].next2 = branch;
    tail = branch;
  }
  accept_rule_.assign(nfa_.states.size(), -1);
  for (std::size_t r = 0; r < rule_ends.size(); ++r) accept_rule_[rule_ends[r]] = static_cast<int>(r);

  // Code units with the same membership in every set form one input class.
  std::vector<char32_t> cuts = {0, kMaxUnit + 1};
  for (const CharSet& s : nfa_.sets)
    for (const auto& [first, last] : s.ranges()) {
      cuts.push_back(first);
      cuts.push_back(last + 1);
    }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::unordered_map<std::string, int> signatures;
  std::vector<std::string> class_signature;
  unit_class_.assign(kMaxUnit + 1, 0);
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    std::string sig(nfa_.sets.size(), '\0');
    for (std::size_t s = 0; s < nfa_.sets.size(); ++s) sig[s] = nfa_.sets[s].contains(cuts[i]) ? 1 : 0;
    auto [it, inserted] = signatures.emplace(sig, static_cast<int>(class_signature.size()));
    if (inserted) class_signature.push_back(sig);
    for (char32_t u = cuts[i]; u < cuts[i + 1]; ++u) unit_class_[u] = static_cast<std::uint16_t>(it->second);
  }
  num_classes_ = static_cast<int>(class_signature.size());
  if (spec.rules.size() + 1 >= (1u << kRuleBits))
    throw std::invalid_argument("jflex::Scanner: too many rules for the DFA state encoding");
  max_dfa_states_ = std::min<std::size_t>(kMaxDfaStates, (INT32_MAX >> kRuleBits) / num_classes_ - 1);
  set_has_class_.assign(nfa_.sets.size() * num_classes_, 0);
  for (int k = 0; k < num_classes_; ++k)
    for (std::size_t s = 0; s < nfa_.sets.size(); ++s)
      set_has_class_[s * num_classes_ + k] = class_signature[k][s];
}

void Scanner::closure(DfaCache& cache, std::vector<int>& states, int target) const {
  const std::uint32_t stamp = ++cache.stamp;
  std::vector<int>& stack = cache.stack;
  std::vector<int>& out = cache.out;
  stack.clear();
  out.clear();
  for (int s : states)
    if (cache.mark[s] != stamp) {
      cache.mark[s] = stamp;
      stack.push_back(s);
    }
  while (!stack.empty()) {
    const int s = stack.back();
    stack.pop_back();
    const NfaState& st = nfa_.states[s];
    if (st.set >= 0 || accept_rule_[s] >= 0 || s == target) out.push_back(s);
    if (st.set >= 0) continue;
    for (int n : {st.next, st.next2})
      if (n >= 0 && cache.mark[n] != stamp) {
        cache.mark[n] = stamp;
        stack.push_back(n);
      }
  }
  states.swap(out);
}

// Length of every path from frag.start to frag.end, or -1 when paths differ or loop.
int Scanner::fixed_length(const Fragment& frag) const {
  std::vector<int> length(nfa_.states.size(), -2);  // -2: not reached
  std::vector<int> work = {frag.start};
  length[frag.start] = 0;
  std::size_t steps = 0;
  while (!work.empty()) {
    if (++steps > 100000) return -1;  // a loop keeps revisiting
    const int s = work.back();
    work.pop_back();
    const NfaState& st = nfa_.states[s];
    const int here = length[s] + (st.set >= 0 ? 1 : 0);
    for (int n : {st.next, st.next2}) {
      if (n < 0) continue;
      if (length[n] == -2) {
        length[n] = here;
        work.push_back(n);
      } else if (length[n] != here) {
        return -1;
      }
    }
  }
  return length[frag.end] >= 0 ? length[frag.end] : -1;
}

void Scanner::reset(DfaCache& cache, Dfa& dfa, int start, int target) const {
  dfa = Dfa{};
  dfa.start_nfa = start;
  dfa.target = target;
  std::vector<int> first = {start};
  closure(cache, first, target);
  dfa.start = dfa_state(dfa, std::move(first));
}

std::int32_t Scanner::dfa_state(Dfa& dfa, std::vector<int>&& states) const {
  if (states.empty()) return kDead;
  std::sort(states.begin(), states.end());
  std::string key(reinterpret_cast<const char*>(states.data()), states.size() * sizeof(int));
  auto it = dfa.index.find(key);
  if (it != dfa.index.end()) return it->second;
  int accept = -1;
  if (dfa.target >= 0) {
    if (std::binary_search(states.begin(), states.end(), dfa.target)) accept = 0;
  } else {
    for (int s : states)
      if (accept_rule_[s] >= 0 && (accept < 0 || accept_rule_[s] < accept)) accept = accept_rule_[s];
  }
  const auto row = static_cast<std::int32_t>(dfa.table.size());
  const std::int32_t state = (row << kRuleBits) | (accept + 1);
  dfa.sets.push_back(std::move(states));
  dfa.table.resize(dfa.table.size() + num_classes_, kUnknown);
  dfa.index.emplace(std::move(key), state);
  return state;
}

std::int32_t Scanner::build_transition(DfaCache& cache, Dfa& dfa, std::int32_t from, int cls) const {
  if (dfa.sets.size() >= max_dfa_states_) {  // start afresh, from where the scan stands
    std::vector<int> at = dfa.sets[static_cast<std::size_t>(row_of(from)) / num_classes_];
    reset(cache, dfa, dfa.start_nfa, dfa.target);
    from = dfa_state(dfa, std::move(at));
  }
  std::vector<int> next;
  for (int s : dfa.sets[static_cast<std::size_t>(row_of(from)) / num_classes_])
    if (steps(s, cls)) next.push_back(nfa_.states[s].next);
  closure(cache, next, dfa.target);
  const std::int32_t to = dfa_state(dfa, std::move(next));
  dfa.table[row_of(from) + cls] = to;
  return to;
}

Scanner::DfaCache& Scanner::thread_cache() const {
  thread_local DfaCache cache;
  if (cache.owner != this) {
    cache = DfaCache{};
    cache.owner = this;
    cache.mark.assign(nfa_.states.size(), 0);
    reset(cache, cache.rules, start_, -1);
    cache.heads.resize(parts_.size());
    cache.tails.resize(parts_.size());
  }
  return cache;
}

Match Scanner::match(DfaCache& c, std::u16string_view units, std::size_t pos) const {
  Dfa& dfa = c.rules;
  const std::int32_t* table = dfa.table.data();
  const std::uint16_t* classes = unit_class_.data();
  std::int32_t state = dfa.start, last = kDead;
  std::size_t end = 0;
  for (std::size_t p = pos; p < units.size(); ++p) {
    const int cls = classes[units[p]];
    std::int32_t next = table[row_of(state) + cls];
    if (next < 0) {
      if (next == kDead) break;
      next = build_transition(c, dfa, state, cls);
      table = dfa.table.data();
      if (next == kDead) break;
    }
    state = next;
    if (accepts(state)) {
      last = state;
      end = p + 1;
    }
  }
  Match m;
  if (last == kDead) return m;
  m.rule = rule_of(last);
  m.end = m.token_end = end;
  if (parts_[m.rule].has_tail) m.token_end = split(c, m.rule, units, pos, end);
  return m;
}

bool Scanner::matches(DfaCache& c, Dfa& dfa, std::u16string_view units, std::size_t from,
                      std::size_t to) const {
  std::int32_t state = dfa.start;
  for (std::size_t p = from; p < to && state >= 0; ++p) {
    const int cls = unit_class(units[p]);
    const std::int32_t at = state;
    state = dfa.table[row_of(at) + cls];
    if (state == kUnknown) state = build_transition(c, dfa, at, cls);
  }
  return state >= 0 && accepts(state);
}

std::size_t Scanner::split(DfaCache& c, int rule, std::u16string_view units, std::size_t from,
                           std::size_t to) const {
  const RuleParts& parts = parts_[rule];
  // JFlex's own shortcuts: a fixed-length r2 or r1 fixes the split.
  if (parts.tail_length >= 0) return to - parts.tail_length;
  if (parts.head_length >= 0) return from + parts.head_length;
  Dfa& head = c.heads[rule];
  Dfa& tail = c.tails[rule];
  if (head.start == kUnknown) reset(c, head, parts.head.start, parts.head.end);
  if (tail.start == kUnknown) reset(c, tail, parts.tail.start, parts.tail.end);
  // Where r1 can end, then the longest r1 whose rest is a whole r2.
  std::vector<char>& ends = c.head_ends;
  ends.assign(to - from + 1, 0);
  std::int32_t state = head.start;
  for (std::size_t p = from; state >= 0; ++p) {
    ends[p - from] = accepts(state);
    if (p == to) break;
    const int cls = unit_class(units[p]);
    const std::int32_t at = state;
    state = head.table[row_of(at) + cls];
    if (state == kUnknown) state = build_transition(c, head, at, cls);
  }
  for (std::size_t p = to + 1; p-- > from;)
    if (ends[p - from] && matches(c, tail, units, p, to)) return p;
  return to;  // unreachable: r1 r2 matched, so some split exists
}

}  // namespace imaxbench::jflex
