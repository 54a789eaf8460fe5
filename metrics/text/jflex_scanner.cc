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

void Scanner::closure(std::vector<int>& states, std::vector<std::uint32_t>& mark,
                      std::uint32_t stamp, bool keep_all) const {
  std::vector<int> stack;
  std::vector<int> out;
  for (int s : states)
    if (mark[s] != stamp) {
      mark[s] = stamp;
      stack.push_back(s);
    }
  while (!stack.empty()) {
    const int s = stack.back();
    stack.pop_back();
    const NfaState& st = nfa_.states[s];
    if (st.set >= 0 || accept_rule_[s] >= 0 || keep_all) out.push_back(s);
    if (st.set >= 0) continue;
    for (int n : {st.next, st.next2})
      if (n >= 0 && mark[n] != stamp) {
        mark[n] = stamp;
        stack.push_back(n);
      }
  }
  states.swap(out);
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
  closure(next, cache.mark, ++cache.stamp, false);
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
    closure(first, cache.mark, ++cache.stamp, false);
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

std::vector<char> Scanner::match_ends(const Fragment& frag, std::u16string_view units,
                                      std::size_t from, std::size_t to) const {
  DfaCache& c = cache();  // for its scratch marks
  std::vector<char> ends(to - from + 1, 0);
  std::vector<int> current = {frag.start};
  closure(current, c.mark, ++c.stamp, true);
  for (std::size_t p = from;; ++p) {
    ends[p - from] = std::find(current.begin(), current.end(), frag.end) != current.end();
    if (p == to || current.empty()) break;
    const int cls = unit_class(units[p]);
    std::vector<int> next;
    for (int s : current)
      if (steps(s, cls)) next.push_back(nfa_.states[s].next);
    closure(next, c.mark, ++c.stamp, true);
    current.swap(next);
  }
  return ends;
}

std::size_t Scanner::split(const RuleParts& parts, std::u16string_view units, std::size_t from,
                           std::size_t to) const {
  const std::vector<char> head = match_ends(parts.head, units, from, to);
  for (std::size_t p = to + 1; p-- > from;) {
    if (!head[p - from]) continue;
    if (match_ends(parts.tail, units, p, to)[to - p]) return p;
  }
  return to;  // unreachable: r1 r2 matched, so some split exists
}

}  // namespace imaxbench::jflex
