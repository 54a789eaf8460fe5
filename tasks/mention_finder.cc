#include "tasks/mention_finder.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace imaxbench {
namespace {

constexpr std::size_t kPreWindow = 6;
constexpr std::size_t kPostWindow = 4;
constexpr std::size_t kListLead = 3;

bool in(std::string_view word, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

// Words that end a negation's scope as a full stop does.
bool is_scope_breaker(std::string_view w) {
  return in(w, {"but", "however", "although", "though", "except", "whereas"});
}

std::string spelling(std::string word) {
  if (word == "oedema") return "edema";
  if (word == "oedematous") return "edematous";
  return word;
}

bool plural_of(std::string_view token, std::string_view w) {
  auto is = [&](std::string_view stem, std::string_view suffix) {
    return token.size() == stem.size() + suffix.size() && token.substr(0, stem.size()) == stem &&
           token.substr(stem.size()) == suffix;
  };
  if (is(w, "s") || is(w, "es")) return true;
  if (w.size() > 1 && w.back() == 'y' && is(w.substr(0, w.size() - 1), "ies")) return true;
  if (w.size() > 1 && w.back() == 'x' && is(w.substr(0, w.size() - 1), "ces")) return true;
  if (w.size() > 2 && w.ends_with("is") && is(w.substr(0, w.size() - 2), "es")) return true;
  return false;
}

bool matches_at(const std::vector<Token>& t, std::size_t i, const Phrase& p) {
  const std::size_t n = p.words.size();
  if (n == 0 || i + n > t.size()) return false;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && t[i + k].before == Separator::kHard) return false;
    const auto& tok = t[i + k].text;
    if (tok != p.words[k] && !(k + 1 == n && plural_of(tok, p.words[k]))) return false;
  }
  return true;
}

std::size_t segment_start(const std::vector<Token>& t, std::size_t i) {
  while (i > 0 && t[i].before == Separator::kNone) --i;
  return i;
}

bool is_pseudo_negation(const std::vector<Token>& t, std::size_t cue) {
  auto at = [&](std::size_t k) -> std::string_view {
    return k < t.size() ? std::string_view(t[k].text) : std::string_view();
  };
  if (t[cue].text == "no")
    return in(at(cue + 1), {"change", "changes"}) ||
           (in(at(cue + 1), {"interval", "significant"}) && in(at(cue + 2), {"change", "changes"}));
  if (t[cue].text == "not") return at(cue + 1) == "only";
  return false;
}

bool pre_negated(const std::vector<Token>& t, const Mention& m) {
  const std::size_t seg = segment_start(t, m.first);
  const std::size_t from = std::max(seg, m.first >= kPreWindow ? m.first - kPreWindow : 0);
  for (std::size_t j = from; j < m.first; ++j) {
    const auto& w = t[j].text;
    const std::string_view next = j + 1 < m.first ? std::string_view(t[j + 1].text) : "";
    bool cue = in(w, {"no", "not", "without", "neither", "nor", "never", "denies", "absent"}) ||
               (w == "negative" && next == "for") || (w == "free" && next == "of") ||
               (w == "absence" && next == "of") || (w == "ruled" && next == "out");
    if (cue && !is_pseudo_negation(t, j)) return true;
  }
  return false;
}

bool post_negated(const std::vector<Token>& t, const Mention& m) {
  const std::size_t end = m.first + m.count;
  if (end < t.size() && t[end].assigned &&
      in(t[end].text, {"no", "none", "absent", "negative", "false", "0", "n"}))
    return true;
  for (std::size_t j = end; j < t.size() && j < end + kPostWindow; ++j) {
    if (t[j].before != Separator::kNone) break;
    const auto& w = t[j].text;
    const std::string_view next = j + 1 < t.size() && t[j + 1].before == Separator::kNone
                                      ? std::string_view(t[j + 1].text) : "";
    const bool led_by_not = (j >= end + 1 && in(t[j - 1].text, {"not", "cannot", "t"})) ||
                            (j >= end + 2 && in(t[j - 2].text, {"not", "cannot", "t"}));
    if (in(w, {"excluded"}) || (w == "ruled" && next == "out")) {
      if (!led_by_not) return true;
      continue;
    }
    if (in(w, {"absent", "resolved", "negative"})) return true;
    if (w == "not" && in(next, {"seen", "present", "identified", "visualized", "visualised", "evident",
                                "noted", "appreciated", "demonstrated", "detected"}))
      return true;
  }
  return false;
}

// Words that start a new, positive statement rather than continue a negated list:
// "no effusion, mild atelectasis".
bool is_assertive(std::string_view w) {
  return in(w, {"mild", "moderate", "severe", "small", "large", "new", "increased", "increasing",
                "persistent", "stable", "worsening", "worsened", "improved", "improving", "minimal",
                "trace", "residual", "unchanged", "extensive", "marked", "there", "is", "are", "with"});
}

// Whether `m` is the next item of a list whose previous item `prev` was negated by a cue before it:
// "no pneumothorax, effusion, or consolidation", "without consolidation, effusion or pneumothorax".
bool continues_negated_list(const std::vector<Token>& t, const Mention& prev, const Mention& m) {
  const std::size_t prev_end = prev.first + prev.count;
  const std::size_t seg = segment_start(t, m.first);
  std::size_t lead_start;
  if (seg <= prev.first) {
    lead_start = prev_end;  // same comma segment: "effusion or pneumothorax"
  } else {
    // Next comma segment: the previous item must end its segment (give or take one word).
    if (t[seg].before != Separator::kSoft || prev_end > seg || prev_end + 1 < seg ||
        segment_start(t, seg - 1) > prev.first)
      return false;
    lead_start = seg;
  }
  if (m.first - lead_start > kListLead) return false;
  for (std::size_t j = lead_start; j < m.first; ++j)
    if (is_assertive(t[j].text)) return false;
  return true;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  Separator pending = Separator::kNone;
  bool assigned = false;
  char previous = ' ';
  bool line_has_word = false;  // a '-' opening a line is a bullet, not an assignment
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    word = spelling(std::move(word));
    if (is_scope_breaker(word)) {
      pending = Separator::kHard;
    } else {
      out.push_back(Token{std::move(word), out.empty() ? Separator::kNone : pending, assigned});
      pending = Separator::kNone;
      assigned = false;
    }
    word.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      word += static_cast<char>(std::tolower(c));
      previous = ch;
      line_has_word = true;
      continue;
    }
    flush();
    if (ch == '\n') {
      assigned = false;
      line_has_word = false;
    } else if (ch == ':' || ch == '=' ||
               (ch == '-' && line_has_word && std::isspace(static_cast<unsigned char>(previous)))) {
      assigned = true;
    }
    previous = ch;
    if (in(std::string_view(&ch, 1), {".", ";", ":", "!", "?", "\n", "(", ")", "[", "]", "*"}))
      pending = Separator::kHard;
    else if (ch == ',' && pending == Separator::kNone)
      pending = Separator::kSoft;
  }
  flush();
  return out;
}

Phrase make_phrase(std::string_view text, int target, bool weak) {
  Phrase p;
  for (auto& tok : tokenize(text)) p.words.push_back(std::move(tok.text));
  p.target = target;
  p.weak = weak;
  return p;
}

std::vector<Mention> find_mentions(const std::vector<Token>& tokens, const std::vector<Phrase>& phrases) {
  std::vector<Mention> out;
  std::vector<bool> negated_before;  // per mention: negated by a cue before it (lists inherit it)
  std::size_t i = 0;
  while (i < tokens.size()) {
    const Phrase* best = nullptr;
    for (const auto& p : phrases)
      if ((!best || p.words.size() > best->words.size()) && matches_at(tokens, i, p)) best = &p;
    if (!best) {
      ++i;
      continue;
    }
    Mention m{best->target, i, best->words.size(), false, best->weak};
    bool before = pre_negated(tokens, m);
    if (!before && !out.empty() && negated_before.back())
      before = continues_negated_list(tokens, out.back(), m);
    m.negated = before || post_negated(tokens, m);
    out.push_back(m);
    negated_before.push_back(before);
    i += best->words.size();
  }
  return out;
}

}  // namespace imaxbench
