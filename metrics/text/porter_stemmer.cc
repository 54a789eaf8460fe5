// A rule-for-rule port of nltk/stem/porter.py in NLTK_EXTENSIONS mode. Each step's rule list
// behaves like _apply_rule_list: the first rule whose suffix matches decides, and a failed
// condition leaves the word as it is (no later rule is tried).
#include "metrics/text/porter_stemmer.h"

#include <array>
#include <utility>

namespace imaxbench {

namespace {

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool ends_with(std::string_view w, std::string_view suffix) {
  return w.size() >= suffix.size() && w.substr(w.size() - suffix.size()) == suffix;
}

// _is_consonant: 'y' is a consonant unless a consonant precedes it, counted through runs of y.
bool is_consonant(std::string_view w, std::size_t i) {
  if (is_vowel(w[i])) return false;
  if (w[i] == 'y') {
    bool negate = false;
    while (i > 0 && w[i] == 'y') {
      negate = !negate;
      --i;
    }
    return (!is_vowel(w[i])) != negate;
  }
  return true;
}

// _measure: the number of vowel-run/consonant-run pairs ("vc" in the cv string).
int measure(std::string_view stem) {
  int m = 0;
  bool prev_cons = true, first = true;
  for (std::size_t i = 0; i < stem.size(); ++i) {
    const char c = stem[i];
    bool cons;
    if (is_vowel(c)) cons = false;
    else if (c == 'y') cons = first ? true : !prev_cons;
    else cons = true;
    if (!first && !prev_cons && cons) ++m;
    prev_cons = cons;
    first = false;
  }
  return m;
}

bool contains_vowel(std::string_view stem) {
  for (std::size_t i = 0; i < stem.size(); ++i)
    if (!is_consonant(stem, i)) return true;
  return false;
}

bool ends_double_consonant(std::string_view w) {
  return w.size() >= 2 && w[w.size() - 1] == w[w.size() - 2] && is_consonant(w, w.size() - 1);
}

bool ends_cvc(std::string_view w) {
  const std::size_t n = w.size();
  if (n >= 3 && is_consonant(w, n - 3) && !is_consonant(w, n - 2) && is_consonant(w, n - 1) &&
      w[n - 1] != 'w' && w[n - 1] != 'x' && w[n - 1] != 'y')
    return true;
  return n == 2 && !is_consonant(w, 0) && is_consonant(w, 1);  // NLTK_EXTENSIONS
}

// One rule of a list: when `w` ends with `suffix` the list stops here (returns true), and the
// suffix becomes `repl` if cond(stem) holds.
template <class Cond>
bool rule(std::string& w, std::string_view suffix, std::string_view repl, Cond cond) {
  if (!ends_with(w, suffix)) return false;
  std::string stem = w.substr(0, w.size() - suffix.size());
  if (cond(std::string_view(stem))) w = stem.append(repl);
  return true;
}

const auto kAlways = [](std::string_view) { return true; };
const auto kPositive = [](std::string_view s) { return measure(s) > 0; };
const auto kAboveOne = [](std::string_view s) { return measure(s) > 1; };

void step1a(std::string& w) {
  if (ends_with(w, "ies") && w.size() == 4) {
    w = w.substr(0, 1) + "ie";
    return;
  }
  rule(w, "sses", "ss", kAlways) || rule(w, "ies", "i", kAlways) ||
      rule(w, "ss", "ss", kAlways) || rule(w, "s", "", kAlways);
}

void step1b(std::string& w) {
  if (ends_with(w, "ied")) {
    w = w.substr(0, w.size() - 3) + (w.size() == 4 ? "ie" : "i");
    return;
  }
  if (ends_with(w, "eed")) {
    const std::string stem = w.substr(0, w.size() - 3);
    if (measure(stem) > 0) w = stem + "ee";
    return;
  }
  std::string stem;
  bool found = false;
  for (std::string_view suffix : {std::string_view("ed"), std::string_view("ing")}) {
    if (ends_with(w, suffix)) {
      stem = w.substr(0, w.size() - suffix.size());
      if (contains_vowel(stem)) {
        found = true;
        break;
      }
    }
  }
  if (!found) return;
  w = stem;
  if (rule(w, "at", "ate", kAlways) || rule(w, "bl", "ble", kAlways) ||
      rule(w, "iz", "ize", kAlways))
    return;
  if (ends_double_consonant(w)) {
    const char last = w.back();
    if (last != 'l' && last != 's' && last != 'z') w.pop_back();
    return;
  }
  if (measure(w) == 1 && ends_cvc(w)) w += 'e';
}

void step1c(std::string& w) {
  rule(w, "y", "i", [](std::string_view s) { return s.size() > 1 && is_consonant(s, s.size() - 1); });
}

void step2(std::string& w) {
  if (ends_with(w, "alli") && measure(std::string_view(w).substr(0, w.size() - 4)) > 0) {
    w = w.substr(0, w.size() - 4) + "al";
    step2(w);
    return;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kRules = {{
      {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"},
      {"izer", "ize"}, {"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"},
      {"ousli", "ous"}, {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"},
      {"iveness", "ive"}, {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"},
      {"iviti", "ive"}, {"biliti", "ble"}, {"fulli", "ful"},
  }};
  for (const auto& [suffix, repl] : kRules)
    if (rule(w, suffix, repl, kPositive)) return;
  // "logi" tests the measure of the word less "ogi" (not less the suffix), as nltk does.
  const std::string word = w;
  rule(w, "logi", "log",
       [&](std::string_view) { return measure(std::string_view(word).substr(0, word.size() - 3)) > 0; });
}

void step3(std::string& w) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kRules = {{
      {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"},
      {"ful", ""}, {"ness", ""},
  }};
  for (const auto& [suffix, repl] : kRules)
    if (rule(w, suffix, repl, kPositive)) return;
}

void step4(std::string& w) {
  static constexpr std::array<std::string_view, 19> kSuffixes = {
      "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
      "ent", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"};
  for (std::string_view suffix : kSuffixes) {
    if (suffix == "ion") {
      if (rule(w, suffix, "", [](std::string_view s) {
            return measure(s) > 1 && (s.back() == 's' || s.back() == 't');
          }))
        return;
    } else if (rule(w, suffix, "", kAboveOne)) {
      return;
    }
  }
}

void step5a(std::string& w) {
  if (!ends_with(w, "e")) return;
  const std::string_view stem = std::string_view(w).substr(0, w.size() - 1);
  const int m = measure(stem);
  if (m > 1 || (m == 1 && !ends_cvc(stem))) w.pop_back();
}

void step5b(std::string& w) {
  const std::string word = w;
  rule(w, "ll", "l",
       [&](std::string_view) { return measure(std::string_view(word).substr(0, word.size() - 1)) > 1; });
}

// NLTK_EXTENSIONS' irregular forms, looked up before any step.
std::string_view irregular(std::string_view w) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kPool = {{
      {"sky", "sky"}, {"skies", "sky"}, {"dying", "die"}, {"lying", "lie"}, {"tying", "tie"},
      {"news", "news"}, {"innings", "inning"}, {"inning", "inning"}, {"outings", "outing"},
      {"outing", "outing"}, {"cannings", "canning"}, {"canning", "canning"}, {"howe", "howe"},
      {"proceed", "proceed"}, {"exceed", "exceed"}, {"succeed", "succeed"},
  }};
  for (const auto& [form, stem] : kPool)
    if (form == w) return stem;
  return {};
}

}  // namespace

std::string porter_stem(std::string_view word) {
  std::string w(word);
  for (char& c : w)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  if (std::string_view stem = irregular(w); !stem.empty()) return std::string(stem);
  if (word.size() <= 2) return w;
  step1a(w);
  step1b(w);
  step1c(w);
  step2(w);
  step3(w);
  step4(w);
  step5a(w);
  step5b(w);
  return w;
}

}  // namespace imaxbench
