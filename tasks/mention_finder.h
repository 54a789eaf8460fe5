// Finds mentions of known phrases (class names, labels and their synonyms) in free text and
// decides which are negated. Shared by the multiclass and multilabel answer parsers.
//
// Text is lower-cased and split into word tokens ([a-z0-9]+; "oedema" spelled "edema"). Between
// tokens a separator is hard (. ; : ! ? newline, parentheses, bullets, and the words but, however,
// although, though, except) or soft (comma). A phrase matches consecutive tokens with no hard
// separator inside; its last word also matches its plural (effusions, opacities, pneumothoraces).
// At each token the longest phrase wins, then scanning resumes after it.
//
// Negation (a NegEx-style rule set):
//  - a cue before the mention in its comma segment and after the previous mention, at most 6
//    tokens back: no, not, without, negative for, free of, absence of, absent, neither, nor,
//    never, denies, excluded, ruled out (a cue before the previous mention reaches this one only
//    by the list rule below: "no pneumothorax and mild cardiomegaly" keeps cardiomegaly).
//    "no change"/"no interval change"/"no significant interval change" (up to two of interval,
//    significant, appreciable, definite, substantial before change) is not a negation cue;
//  - a cue after the mention in its comma segment, at most 4 tokens on: absent, excluded, ruled
//    out, resolved, negative, not seen/present/identified/visualized/evident/noted, unless led by
//    "cannot"/"not" ("cannot be excluded", "not excluded" stay positive);
//  - lists: a mention at most 3 words after the previous mention (in its comma segment) or after
//    the comma that ends the previous mention's segment inherits that mention's negation by a cue
//    before it: "no pneumothorax, effusion, or consolidation" and "without consolidation, effusion
//    or pneumothorax" negate all three. Words that start a new statement stop the inheritance
//    (mild, small, new, stable, there, is, with, ...): "no effusion, mild atelectasis".
//  - a value given to the mention: "Edema: no", "Effusion = 0", "Pneumothorax - absent" (no,
//    none, absent, negative, false, 0), "Pneumothorax: not seen" (not and a seen word).
// Hedged mentions ("possible pneumonia") count as positive.
//
// Cost: O(n) time and memory in the text's length n. tokenize is one pass over the bytes (the
// words are views into one lower-cased copy). MentionFinder looks each token up once in a hash
// table of the phrase words, their plurals and the negation rules' words, and tries only the
// phrases that start with that word; the negation rules look at most 6 tokens back and 4 on, and
// comma segments are followed as the scan advances (never walked back), so a scan is
// O(tokens x P x L), where P (phrases sharing a first word) and L (phrase length) depend on the
// vocabulary, not on the text. Building the index is O(vocabulary); cached_mention_finder does it
// once per thread and vocabulary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

enum class Separator : std::uint8_t { kNone, kSoft, kHard };

struct Token {
  std::string_view text;  // lower-cased word; points into its TokenList's buffer
  Separator before = Separator::kNone;  // separator between the previous token and this one
  bool assigned = false;  // ':' '=' or a spaced ' - ' before it: "Edema: no", "Effusion - absent"
};

// The tokens of one text and the lower-cased copy of it that their words point into. Movable;
// the words stay valid for the list's lifetime.
struct TokenList {
  std::unique_ptr<char[]> buffer;
  std::vector<Token> tokens;
};

TokenList tokenize(std::string_view text);

// A phrase to look for and the index it stands for (a class or a label).
struct Phrase {
  std::vector<std::string> words;
  int target = -1;
  bool weak = false;  // e.g. "normal" for No Finding: used only when nothing stronger is found
};

// Splits a phrase into tokens the way tokenize does.
Phrase make_phrase(std::string_view text, int target, bool weak = false);

struct Mention {
  int target = -1;
  std::size_t first = 0;  // token index
  std::size_t count = 0;  // tokens
  bool negated = false;
  bool weak = false;
};

// A set of phrases indexed for matching; build it once per vocabulary and reuse it.
class MentionFinder {
 public:
  explicit MentionFinder(std::vector<Phrase> phrases);
  ~MentionFinder();
  MentionFinder(MentionFinder&&) noexcept;
  MentionFinder& operator=(MentionFinder&&) noexcept;

  // Mentions in reading order with their negation decided.
  std::vector<Mention> find(const std::vector<Token>& tokens) const;
  // The same mentions, handed to `visit` one by one in reading order (no list is kept).
  void for_each(const std::vector<Token>& tokens, const std::function<void(const Mention&)>& visit) const;

 private:
  struct Index;
  std::unique_ptr<Index> index_;
};

// Mentions in reading order with their negation decided (builds a MentionFinder each call).
std::vector<Mention> find_mentions(const std::vector<Token>& tokens, const std::vector<Phrase>& phrases);

// The finder for `build(names)`, built once and kept among this thread's 8 most recently used;
// `build` (a plain function) tells phrase sets made from the same names apart. The reference is
// valid until the thread's next call.
using PhraseBuilder = std::vector<Phrase> (*)(const std::vector<std::string>& names);
const MentionFinder& cached_mention_finder(PhraseBuilder build, const std::vector<std::string>& names);

}  // namespace imaxbench
