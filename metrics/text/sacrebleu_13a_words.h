// sacreBLEU's 13a words (tokenizer_re.py's rules, then str.split()) of a line that has had
// tokenizer_13a.py's replacements, found without building the spaced line. Used by
// sacrebleu_words() and sacrebleu_tokenize_13a(), whose golden test checks it against sacreBLEU.
#pragma once

#include <array>
#include <string_view>
#include <vector>

namespace imaxbench {

// tokenizer_re.py's first rule: the class [\{-\~\[-\` -\&\(-\+\:-\@\/].
inline constexpr std::array<bool, 256> kSplit13a = [] {
  std::array<bool, 256> t{};
  for (int c = '{'; c <= '~'; ++c) t[c] = true;
  for (int c = '['; c <= '`'; ++c) t[c] = true;
  for (int c = ' '; c <= '&'; ++c) t[c] = true;
  for (int c = '('; c <= '+'; ++c) t[c] = true;
  for (int c = ':'; c <= '@'; ++c) t[c] = true;
  t['/'] = true;
  return t;
}();

// Replaces `out` with the words, views into `line`.
void words_13a(std::string_view line, std::vector<std::string_view>& out);

}  // namespace imaxbench
