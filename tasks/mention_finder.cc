#include "tasks/mention_finder.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <unordered_map>

namespace imaxbench {
namespace {

constexpr std::size_t kPreWindow = 6;
constexpr std::size_t kPostWindow = 4;
constexpr std::size_t kListLead = 3;

// word == w, testing the first letter before calling memcmp (the tokenizer compares every word
// with the scope breakers).
bool same(std::string_view word, std::string_view w) {
  return word.size() == w.size() &&
         (w.empty() || (word[0] == w[0] && std::memcmp(word.data(), w.data(), w.size()) == 0));
}

bool in(std::string_view word, std::initializer_list<std::string_view> set) {
  for (auto w : set)
    if (same(word, w)) return true;
  return false;
}

// Lower-cased letter or digit, 0 for any other byte: [A-Za-z0-9] as std::isalnum/std::tolower
// read them in the "C" locale (the program never sets another); bytes >= 0x80 are not word bytes.
constexpr std::array<char, 256> kWordChar = [] {
  std::array<char, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c - 'A' + 'a');
  return t;
}();

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool is_hard_separator(unsigned char c) {
  switch (c) {
    case '.': case ';': case ':': case '!': case '?': case '\n': case '\r': case '(': case ')': case '[': case ']':
    case '*':
      return true;
    default:
      return false;
  }
}

// Words that end a negation's scope as a full stop does.
bool is_scope_breaker(std::string_view w) {
  return in(w, {"but", "however", "although", "though", "except", "whereas"});
}

std::string_view spelling(std::string_view word) {
  if (word == "oedema" || word == "oedematous") word.remove_prefix(1);  // edema, edematous
  return word;
}

// Where comma segments start, followed as the scan moves forward. Token 0 always starts one;
// `last` is the start of the segment holding the current token and `previous` the start of the
// segment before it (what a walk back from last - 1 would find).
class SegmentTracker {
 public:
  explicit SegmentTracker(const std::vector<Token>& t) : t_(t) {}
  void advance_to(std::size_t i) {
    for (; cursor_ < i; ++cursor_) {
      if (t_[cursor_ + 1].before != Separator::kNone) {
        previous_ = last_;
        last_ = cursor_ + 1;
      }
    }
  }
  std::size_t last() const { return last_; }
  std::size_t previous() const { return previous_; }

 private:
  const std::vector<Token>& t_;
  std::size_t cursor_ = 0, last_ = 0, previous_ = 0;
};

// The words the negation rules below look at. Each token is looked up once (with the phrase
// words, in MentionFinder::Index) and the rules compare these small values, not strings.
enum class Cue : std::uint8_t { kOther, kNo, kNot, kNegative, kFree, kAbsence, kRuled, kFor, kOf, kOut, kOnly, kExcluded };
enum Role : std::uint8_t {
  kPreCue = 1,       // no, not, without, neither, nor, never, denies, absent
  kValueNo = 2,      // a value that says absent: no, none, absent, negative, false, 0, n
  kLeadsNot = 4,     // not, cannot, t ("can't"): "not excluded" stays positive
  kPostCue = 8,      // absent, resolved, negative
  kSeenWord = 16,    // "not seen", "not present", ...
  kAssertive = 32,   // starts a new, positive statement: "no effusion, mild atelectasis"
  kChange = 64,      // change, changes: "no change" is not a negation
  kChangeLead = 128  // interval, significant, appreciable...: "no significant interval change"
};

struct RuleWord {
  Cue cue = Cue::kOther;
  std::uint8_t roles = 0;
  bool is(Cue c) const { return cue == c; }
  bool has(Role r) const { return (roles & r) != 0; }
};

struct RuleEntry {
  std::string_view word;
  RuleWord rule;
};

constexpr RuleEntry kRuleWords[] = {
    {"no", {Cue::kNo, kPreCue | kValueNo}},
    {"not", {Cue::kNot, kPreCue | kLeadsNot}},
    {"without", {Cue::kOther, kPreCue}},
    {"neither", {Cue::kOther, kPreCue}},
    {"nor", {Cue::kOther, kPreCue}},
    {"never", {Cue::kOther, kPreCue}},
    {"denies", {Cue::kOther, kPreCue}},
    {"absent", {Cue::kOther, kPreCue | kValueNo | kPostCue}},
    {"negative", {Cue::kNegative, kValueNo | kPostCue}},
    {"free", {Cue::kFree, 0}},
    {"absence", {Cue::kAbsence, 0}},
    {"ruled", {Cue::kRuled, 0}},
    {"for", {Cue::kFor, 0}},
    {"of", {Cue::kOf, 0}},
    {"out", {Cue::kOut, 0}},
    {"only", {Cue::kOnly, 0}},
    {"excluded", {Cue::kExcluded, 0}},
    {"none", {Cue::kOther, kValueNo}},
    {"false", {Cue::kOther, kValueNo}},
    {"0", {Cue::kOther, kValueNo}},
    {"n", {Cue::kOther, kValueNo}},
    {"cannot", {Cue::kOther, kLeadsNot}},
    {"t", {Cue::kOther, kLeadsNot}},
    {"resolved", {Cue::kOther, kPostCue}},
    {"seen", {Cue::kOther, kSeenWord}},
    {"present", {Cue::kOther, kSeenWord}},
    {"identified", {Cue::kOther, kSeenWord}},
    {"visualized", {Cue::kOther, kSeenWord}},
    {"visualised", {Cue::kOther, kSeenWord}},
    {"evident", {Cue::kOther, kSeenWord}},
    {"noted", {Cue::kOther, kSeenWord}},
    {"appreciated", {Cue::kOther, kSeenWord}},
    {"demonstrated", {Cue::kOther, kSeenWord}},
    {"detected", {Cue::kOther, kSeenWord}},
    {"change", {Cue::kOther, kChange}},
    {"changes", {Cue::kOther, kChange}},
    {"interval", {Cue::kOther, kChangeLead}},
    {"significant", {Cue::kOther, kChangeLead}},
    {"appreciable", {Cue::kOther, kChangeLead}},
    {"definite", {Cue::kOther, kChangeLead}},
    {"substantial", {Cue::kOther, kChangeLead}},
    {"mild", {Cue::kOther, kAssertive}},
    {"moderate", {Cue::kOther, kAssertive}},
    {"severe", {Cue::kOther, kAssertive}},
    {"small", {Cue::kOther, kAssertive}},
    {"large", {Cue::kOther, kAssertive}},
    {"new", {Cue::kOther, kAssertive}},
    {"increased", {Cue::kOther, kAssertive}},
    {"increasing", {Cue::kOther, kAssertive}},
    {"persistent", {Cue::kOther, kAssertive}},
    {"stable", {Cue::kOther, kAssertive}},
    {"worsening", {Cue::kOther, kAssertive}},
    {"worsened", {Cue::kOther, kAssertive}},
    {"improved", {Cue::kOther, kAssertive}},
    {"improving", {Cue::kOther, kAssertive}},
    {"minimal", {Cue::kOther, kAssertive}},
    {"trace", {Cue::kOther, kAssertive}},
    {"residual", {Cue::kOther, kAssertive}},
    {"unchanged", {Cue::kOther, kAssertive}},
    {"extensive", {Cue::kOther, kAssertive}},
    {"marked", {Cue::kOther, kAssertive}},
    {"there", {Cue::kOther, kAssertive}},
    {"is", {Cue::kOther, kAssertive}},
    {"are", {Cue::kOther, kAssertive}},
    {"with", {Cue::kOther, kAssertive}},
};

// Tokens with their rule words, for the rules below (positions past the end read as kOther).
struct Words {
  const std::vector<Token>& t;
  const std::vector<RuleWord>& rule;
  RuleWord operator[](std::size_t j) const { return j < rule.size() ? rule[j] : RuleWord{}; }
};

bool is_pseudo_negation(const Words& w, std::size_t cue) {
  if (w[cue].is(Cue::kNo)) {
    std::size_t j = cue + 1;  // up to two leads: "no significant interval change" (a report's stock phrase)
    for (int leads = 0; leads < 2 && w[j].has(kChangeLead); ++leads) ++j;
    return w[j].has(kChange);
  }
  if (w[cue].is(Cue::kNot)) return w[cue + 1].is(Cue::kOnly);
  return false;
}

// `seg`: the start of the mention's comma segment.
bool pre_negated(const Words& w, const Mention& m, std::size_t seg) {
  const std::size_t from = std::max(seg, m.first >= kPreWindow ? m.first - kPreWindow : 0);
  for (std::size_t j = from; j < m.first; ++j) {
    const RuleWord word = w[j];
    const RuleWord next = j + 1 < m.first ? w[j + 1] : RuleWord{};
    const bool cue = word.has(kPreCue) || (word.is(Cue::kNegative) && next.is(Cue::kFor)) ||
                     (word.is(Cue::kFree) && next.is(Cue::kOf)) ||
                     (word.is(Cue::kAbsence) && next.is(Cue::kOf)) ||
                     (word.is(Cue::kRuled) && next.is(Cue::kOut));
    if (cue && !is_pseudo_negation(w, j)) return true;
  }
  return false;
}

bool post_negated(const Words& w, const Mention& m) {
  const auto& t = w.t;
  const std::size_t end = m.first + m.count;
  if (end < t.size() && t[end].assigned && w[end].has(kValueNo)) return true;
  // "Pneumothorax: not seen": the value after the colon, which the hard separator keeps from the
  // window below.
  if (end + 1 < t.size() && t[end].assigned && w[end].is(Cue::kNot) && t[end + 1].before == Separator::kNone &&
      w[end + 1].has(kSeenWord))
    return true;
  for (std::size_t j = end; j < t.size() && j < end + kPostWindow; ++j) {
    if (t[j].before != Separator::kNone) break;
    const RuleWord word = w[j];
    const RuleWord next = j + 1 < t.size() && t[j + 1].before == Separator::kNone ? w[j + 1] : RuleWord{};
    const bool led_by_not = (j >= end + 1 && w[j - 1].has(kLeadsNot)) || (j >= end + 2 && w[j - 2].has(kLeadsNot));
    if (word.is(Cue::kExcluded) || (word.is(Cue::kRuled) && next.is(Cue::kOut))) {
      if (!led_by_not) return true;
      continue;
    }
    if (word.has(kPostCue)) return true;
    if (word.is(Cue::kNot) && next.has(kSeenWord)) return true;
  }
  return false;
}

// Whether `m` is the next item of a list whose previous item `prev` was negated by a cue before it:
// "no pneumothorax, effusion, or consolidation", "without consolidation, effusion or pneumothorax".
// `segs` stands at m.first.
bool continues_negated_list(const Words& w, const Mention& prev, const Mention& m,
                            const SegmentTracker& segs) {
  const auto& t = w.t;
  const std::size_t prev_end = prev.first + prev.count;
  const std::size_t seg = segs.last();
  std::size_t lead_start;
  if (seg <= prev.first) {
    lead_start = prev_end;  // same comma segment: "effusion or pneumothorax"
  } else {
    // Next comma segment: the previous item must end its segment (give or take one word).
    if (t[seg].before != Separator::kSoft || prev_end > seg || prev_end + 1 < seg ||
        segs.previous() > prev.first)
      return false;
    lead_start = seg;
  }
  if (m.first - lead_start > kListLead) return false;
  for (std::size_t j = lead_start; j < m.first; ++j)
    if (w[j].has(kAssertive)) return false;
  return true;
}

// Every plural the matcher accepts for `w` (the forms plural_of in the rules above names):
// +s, +es, y -> ies, x -> ces, is -> es.
std::vector<std::string> plurals_of(const std::string& w) {
  std::vector<std::string> out{w + "s", w + "es"};
  if (w.size() > 1 && w.back() == 'y') out.push_back(w.substr(0, w.size() - 1) + "ies");
  if (w.size() > 1 && w.back() == 'x') out.push_back(w.substr(0, w.size() - 1) + "ces");
  if (w.size() > 2 && w.ends_with("is")) out.push_back(w.substr(0, w.size() - 2) + "es");
  return out;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

TokenList tokenize(std::string_view text) {
  TokenList out;
  out.buffer.reset(new char[text.size() + 1]);
  char* const buf = out.buffer.get();
  std::vector<Token>& tokens = out.tokens;
  Separator pending = Separator::kNone;
  bool assigned = false;
  unsigned char previous = ' ';
  bool line_has_word = false;  // a '-' opening a line is a bullet, not an assignment
  const std::size_t n = text.size();
  // Reserve for every word (an upper bound: scope breakers are dropped) so the list never moves.
  std::size_t words = 0;
  bool in_word = false;
  for (char ch : text) {
    const bool w = kWordChar[static_cast<unsigned char>(ch)] != 0;
    words += w && !in_word;
    in_word = w;
  }
  tokens.reserve(words);
  std::size_t i = 0;
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (kWordChar[c]) {
      const std::size_t begin = i;
      do {
        buf[i] = kWordChar[c];
        if (++i == n) break;
        c = static_cast<unsigned char>(text[i]);
      } while (kWordChar[c]);
      previous = static_cast<unsigned char>(text[i - 1]);
      line_has_word = true;
      const std::string_view word = spelling(std::string_view(buf + begin, i - begin));
      if (is_scope_breaker(word)) {
        pending = Separator::kHard;
      } else {
        tokens.push_back(Token{word, tokens.empty() ? Separator::kNone : pending, assigned});
        pending = Separator::kNone;
        assigned = false;
      }
      continue;
    }
    if (c == '\n' || c == '\r') {  // a line ends in LF, CRLF or a lone CR
      assigned = false;
      line_has_word = false;
    } else if (c == ':' || c == '=' || (c == '-' && line_has_word && is_space(previous))) {
      assigned = true;
    }
    previous = c;
    if (is_hard_separator(c))
      pending = Separator::kHard;
    else if (c == ',' && pending == Separator::kNone)
      pending = Separator::kSoft;
    ++i;
  }
  return out;
}

Phrase make_phrase(std::string_view text, int target, bool weak) {
  Phrase p;
  for (const auto& tok : tokenize(text).tokens) p.words.emplace_back(tok.text);
  p.target = target;
  p.weak = weak;
  return p;
}

// Phrase words, the plurals of phrases' last words and the negation rules' words, each a key with
// an id; a token's key id is found with one hash-table probe sequence.
struct MentionFinder::Index {
  struct Key {
    std::string text;
    RuleWord rule;                         // what the negation rules read in this word
    std::vector<std::int32_t> plural_of;   // keys (last words of phrases) this is a plural of
    std::vector<std::int32_t> starting;    // phrases whose first word this is, in list order
    std::vector<std::int32_t> single;      // one-word phrases of this word, in list order
  };
  std::vector<Phrase> phrases;
  std::vector<std::vector<std::int32_t>> words;  // per phrase: its words' key ids
  std::vector<Key> keys;
  std::vector<std::int32_t> slots;  // open addressing, key id or -1
  std::size_t mask = 0;
  std::size_t min_len = SIZE_MAX, max_len = 0;

  explicit Index(std::vector<Phrase> list) : phrases(std::move(list)) {
    std::unordered_map<std::string, std::int32_t> ids;
    auto id_of = [&](const std::string& w) {
      auto [it, added] = ids.emplace(w, static_cast<std::int32_t>(keys.size()));
      if (added) keys.push_back(Key{w, {}, {}, {}, {}});
      return it->second;
    };
    words.resize(phrases.size());
    for (std::size_t p = 0; p < phrases.size(); ++p) {
      const auto& ws = phrases[p].words;
      if (ws.empty()) continue;  // matches nothing
      for (const auto& w : ws) words[p].push_back(id_of(w));
      keys[words[p].front()].starting.push_back(static_cast<std::int32_t>(p));
      if (ws.size() == 1) keys[words[p].front()].single.push_back(static_cast<std::int32_t>(p));
      const std::int32_t last = words[p].back();
      for (const auto& form : plurals_of(ws.back())) {
        auto& of = keys[id_of(form)].plural_of;
        if (std::find(of.begin(), of.end(), last) == of.end()) of.push_back(last);
      }
    }
    for (const auto& entry : kRuleWords) keys[id_of(std::string(entry.word))].rule = entry.rule;
    std::size_t size = 16;
    while (size < 2 * keys.size()) size *= 2;
    slots.assign(size, -1);
    mask = size - 1;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      std::size_t s = fnv1a(keys[k].text) & mask;
      while (slots[s] >= 0) s = (s + 1) & mask;
      slots[s] = static_cast<std::int32_t>(k);
      min_len = std::min(min_len, keys[k].text.size());
      max_len = std::max(max_len, keys[k].text.size());
    }
  }

  std::int32_t lookup(std::string_view w) const {
    if (w.size() < min_len || w.size() > max_len) return -1;
    for (std::size_t s = fnv1a(w) & mask;; s = (s + 1) & mask) {
      const std::int32_t k = slots[s];
      if (k < 0 || keys[k].text == w) return k;
    }
  }

  // Whether phrase `p`, whose first word is known to match token i, matches from token i.
  bool rest_matches(const std::vector<Token>& t, const std::vector<std::int32_t>& token_keys, std::size_t i,
                    std::int32_t p) const {
    const auto& ws = words[p];
    const std::size_t n = ws.size();
    if (i + n > t.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if (t[i + k].before == Separator::kHard) return false;
      const std::int32_t key = token_keys[i + k];
      if (key == ws[k]) continue;
      if (k + 1 == n && key >= 0) {
        const auto& of = keys[key].plural_of;
        if (std::find(of.begin(), of.end(), ws[k]) != of.end()) continue;
      }
      return false;
    }
    return true;
  }

  // The phrase matching at token i: the longest, and of those the first in the list; -1 if none.
  std::int32_t longest_at(const std::vector<Token>& t, const std::vector<std::int32_t>& token_keys,
                          std::size_t i) const {
    const std::int32_t key = token_keys[i];
    if (key < 0) return -1;
    std::int32_t best = -1;
    std::size_t best_len = 0;
    auto consider = [&](std::int32_t p, bool whole) {
      const std::size_t len = words[p].size();
      if (best >= 0 && (len < best_len || (len == best_len && p > best))) return;
      if (!whole && !rest_matches(t, token_keys, i, p)) return;
      best = p;
      best_len = len;
    };
    for (std::int32_t p : keys[key].starting) consider(p, false);
    for (std::int32_t base : keys[key].plural_of)  // a one-word phrase's plural
      for (std::int32_t p : keys[base].single) consider(p, true);
    return best;
  }
};

MentionFinder::MentionFinder(std::vector<Phrase> phrases) : index_(std::make_unique<Index>(std::move(phrases))) {}
MentionFinder::~MentionFinder() = default;
MentionFinder::MentionFinder(MentionFinder&&) noexcept = default;
MentionFinder& MentionFinder::operator=(MentionFinder&&) noexcept = default;

std::vector<Mention> MentionFinder::find(const std::vector<Token>& tokens) const {
  std::vector<Mention> out;
  for_each(tokens, [&](const Mention& m) { out.push_back(m); });
  return out;
}

void MentionFinder::for_each(const std::vector<Token>& tokens,
                             const std::function<void(const Mention&)>& visit) const {
  const Index& index = *index_;
  std::vector<std::int32_t> token_keys(tokens.size());
  std::vector<RuleWord> rules(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    token_keys[i] = index.lookup(tokens[i].text);
    if (token_keys[i] >= 0) rules[i] = index.keys[token_keys[i]].rule;
  }
  const Words words{tokens, rules};

  std::optional<Mention> last;  // the previous mention; a list item inherits its negation
  bool last_negated_before = false;  // the last mention was negated by a cue before it
  SegmentTracker segs(tokens);
  std::size_t i = 0;
  while (i < tokens.size()) {
    const std::int32_t best = index.longest_at(tokens, token_keys, i);
    if (best < 0) {
      ++i;
      continue;
    }
    const Phrase& phrase = index.phrases[best];
    Mention m{phrase.target, i, phrase.words.size(), false, phrase.weak};
    segs.advance_to(i);
    // A cue before the previous mention is that mention's: whether it reaches on to this one is the
    // list rule's call, which stops at a new statement ("No pneumothorax and mild cardiomegaly"
    // negated both: the "no" was within the window back from "cardiomegaly").
    std::size_t from = segs.last();
    if (last && last->first + last->count > from) from = last->first + last->count;
    bool before = pre_negated(words, m, from);
    if (!before && last && last_negated_before) before = continues_negated_list(words, *last, m, segs);
    m.negated = before || post_negated(words, m);
    visit(m);
    last = m;
    last_negated_before = before;
    i += phrase.words.size();
  }
}

std::vector<Mention> find_mentions(const std::vector<Token>& tokens, const std::vector<Phrase>& phrases) {
  return MentionFinder(phrases).find(tokens);
}

const MentionFinder& cached_mention_finder(PhraseBuilder build, const std::vector<std::string>& names) {
  struct Entry {
    PhraseBuilder build;
    std::vector<std::string> names;
    MentionFinder finder;
  };
  constexpr std::size_t kEntries = 8;
  thread_local std::vector<Entry> cache;  // least recently used first
  for (std::size_t k = cache.size(); k-- > 0;) {
    if (cache[k].build != build || cache[k].names != names) continue;
    if (k + 1 != cache.size()) std::rotate(cache.begin() + k, cache.begin() + k + 1, cache.end());
    return cache.back().finder;
  }
  MentionFinder finder(build(names));
  if (cache.size() == kEntries) cache.erase(cache.begin());
  cache.push_back(Entry{build, names, std::move(finder)});
  return cache.back().finder;
}

}  // namespace imaxbench
