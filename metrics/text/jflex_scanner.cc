#include "metrics/text/jflex_scanner.h"

#include <algorithm>
#include <unordered_map>

namespace imaxbench::jflex {

namespace {

constexpr std::int32_t kUnknown = -2;
constexpr std::int32_t kDead = -1;
// A thread's DFA is dropped and rebuilt past this many states (adversarial text only).
constexpr std::size_t kMaxDfaStates = 20000;

}  // namespace

struct Scanner::DfaCache {
  const Scanner* owner = nullptr;
  std::vector<std::vector<int>> sets;  // NFA states (consuming or accepting) of each DFA state
  std::vector<int> accept;             // rule accepted in each DFA state, or -1
  std::vector<std::int32_t> next;      // state * num_classes + class
  std::unordered_map<std::string, int> index;
  std::vector<std::uint32_t> mark;
  std::uint32_t stamp = 0;
  int start = kDead;
  // Scratch space for closures and NFA runs.
  std::vector<int> stack, out, current, stepped;
  std::vector<char> head_ends, tail_ends;
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
  set_has_class_.assign(nfa_.sets.size() * num_classes_, 0);
  for (int k = 0; k < num_classes_; ++k)
    for (std::size_t s = 0; s < nfa_.sets.size(); ++s)
      set_has_class_[s * num_classes_ + k] = class_signature[k][s];
}

void Scanner::closure(DfaCache& cache, std::vector<int>& states, bool keep_all) const {
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
    if (st.set >= 0 || accept_rule_[s] >= 0 || keep_all) out.push_back(s);
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

int Scanner::dfa_state(DfaCache& cache, std::vector<int>&& states) const {
  if (states.empty()) return kDead;
  std::sort(states.begin(), states.end());
  std::string key(reinterpret_cast<const char*>(states.data()), states.size() * sizeof(int));
  auto it = cache.index.find(key);
  if (it != cache.index.end()) return it->second;
  int accept = -1;
  for (int s : states)
    if (accept_rule_[s] >= 0 && (accept < 0 || accept_rule_[s] < accept)) accept = accept_rule_[s];
  const int id = static_cast<int>(cache.sets.size());
  cache.sets.push_back(std::move(states));
  cache.accept.push_back(accept);
  cache.next.resize(cache.next.size() + num_classes_, kUnknown);
  cache.index.emplace(std::move(key), id);
  return id;
}

int Scanner::build_transition(DfaCache& cache, int from, int cls) const {
  std::vector<int> next;
  for (int s : cache.sets[from])
    if (steps(s, cls)) next.push_back(nfa_.states[s].next);
  closure(cache, next, false);
  const int to = dfa_state(cache, std::move(next));
  cache.next[static_cast<std::size_t>(from) * num_classes_ + cls] = to;
  return to;
}

Scanner::DfaCache& Scanner::cache() const {
  thread_local DfaCache cache;
  if (cache.owner != this || cache.sets.size() > kMaxDfaStates) {
    cache = DfaCache{};
    cache.owner = this;
    cache.mark.assign(nfa_.states.size(), 0);
    std::vector<int> first = {start_};
    closure(cache, first, false);
    cache.start = dfa_state(cache, std::move(first));
  }
  return cache;
}

Match Scanner::match(std::u16string_view units, std::size_t pos) const {
  DfaCache& c = cache();
  Match m;
  int state = c.start;
  for (std::size_t p = pos; p < units.size() && state >= 0; ++p) {
    const int cls = unit_class(units[p]);
    int next = c.next[static_cast<std::size_t>(state) * num_classes_ + cls];
    if (next == kUnknown) next = build_transition(c, state, cls);
    state = next;
    if (state >= 0 && c.accept[state] >= 0) {
      m.rule = c.accept[state];
      m.end = p + 1;
    }
  }
  m.token_end = m.end;
  if (m.rule >= 0 && parts_[m.rule].has_tail) m.token_end = split(parts_[m.rule], units, pos, m.end);
  return m;
}

void Scanner::match_ends(DfaCache& c, const Fragment& frag, std::u16string_view units,
                         std::size_t from, std::size_t to, std::vector<char>& ends) const {
  ends.assign(to - from + 1, 0);
  std::vector<int>& current = c.current;
  std::vector<int>& next = c.stepped;
  current.assign(1, frag.start);
  closure(c, current, true);
  for (std::size_t p = from;; ++p) {
    ends[p - from] = std::find(current.begin(), current.end(), frag.end) != current.end();
    if (p == to || current.empty()) break;
    const int cls = unit_class(units[p]);
    next.clear();
    for (int s : current)
      if (steps(s, cls)) next.push_back(nfa_.states[s].next);
    closure(c, next, true);
    current.swap(next);
  }
}

std::size_t Scanner::split(const RuleParts& parts, std::u16string_view units, std::size_t from,
                           std::size_t to) const {
  // JFlex's own shortcuts: a fixed-length r2 or r1 fixes the split.
  if (parts.tail_length >= 0) return to - parts.tail_length;
  if (parts.head_length >= 0) return from + parts.head_length;
  DfaCache& c = cache();
  match_ends(c, parts.head, units, from, to, c.head_ends);
  for (std::size_t p = to + 1; p-- > from;) {
    if (!c.head_ends[p - from]) continue;
    match_ends(c, parts.tail, units, p, to, c.tail_ends);
    if (c.tail_ends[to - p]) return p;
  }
  return to;  // unreachable: r1 r2 matched, so some split exists
}

}  // namespace imaxbench::jflex
