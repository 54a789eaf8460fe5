#include "metrics/text/sacrebleu_tokenizers.h"

#include <array>
#include <cstdint>

#include "metrics/text/sacrebleu_13a_words.h"
#include "core/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

// Python's str.replace: non-overlapping occurrences, left to right.
void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (s.find(from) == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  for (std::size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out.append(to);
  }
  out.append(s, pos, std::string::npos);
  s.swap(out);
}

// tokenizer_13a.py's replacements before the regular expressions; false (and `out` untouched)
// when none applies.
bool replace_13a(std::string_view segment, std::string& out) {
  const bool needs_replace = segment.find('\n') != std::string_view::npos ||
                             segment.find("<skipped>") != std::string_view::npos ||
                             segment.find('&') != std::string_view::npos;
  if (!needs_replace) return false;
  out.assign(segment);
  replace_all(out, "<skipped>", "");
  replace_all(out, "-\n", "");
  replace_all(out, "\n", " ");
  if (out.find('&') != std::string::npos) {
    replace_all(out, "&quot;", "\"");
    replace_all(out, "&amp;", "&");
    replace_all(out, "&lt;", "<");
    replace_all(out, "&gt;", ">");
  }
  return true;
}

// Classes of the intl rules, with an ASCII lookup in front of the Unicode tables.
struct IntlClass {
  bool number, punct, symbol;
};

IntlClass intl_class(char32_t cp) {
  static const auto ascii = [] {
    std::array<IntlClass, 128> t{};
    for (char32_t c = 0; c < 128; ++c)
      t[c] = {regex_is_number(c), regex_is_punct(c), regex_is_symbol(c)};
    return t;
  }();
  if (cp < 128) return ascii[cp];
  return {regex_is_number(cp), regex_is_punct(cp), regex_is_symbol(cp)};
}

// The three intl rules on code points, each a full re.sub pass like the Python original.
std::string spaced_intl(std::string_view segment) {
  const std::u32string s = utf8_decode(segment);
  std::vector<IntlClass> cls(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) cls[i] = intl_class(s[i]);

  std::u32string a;  // (\P{N})(\p{P}) -> \1 \2 (space after)
  std::vector<IntlClass> acls;
  a.reserve(s.size() * 2);
  acls.reserve(s.size() * 2);
  const IntlClass space = intl_class(U' ');
  auto put = [&](char32_t cp, IntlClass k) {
    a.push_back(cp);
    acls.push_back(k);
  };
  for (std::size_t i = 0; i < s.size();) {
    if (i + 1 < s.size() && !cls[i].number && cls[i + 1].punct) {
      put(s[i], cls[i]);
      put(U' ', space);
      put(s[i + 1], cls[i + 1]);
      put(U' ', space);
      i += 2;
    } else {
      put(s[i], cls[i]);
      ++i;
    }
  }
  std::u32string b;  // (\p{P})(\P{N}) -> space \1 space \2
  std::vector<IntlClass> bcls;
  b.reserve(a.size() + 16);
  bcls.reserve(a.size() + 16);
  auto put_b = [&](char32_t cp, IntlClass k) {
    b.push_back(cp);
    bcls.push_back(k);
  };
  for (std::size_t i = 0; i < a.size();) {
    if (i + 1 < a.size() && acls[i].punct && !acls[i + 1].number) {
      put_b(U' ', space);
      put_b(a[i], acls[i]);
      put_b(U' ', space);
      put_b(a[i + 1], acls[i + 1]);
      i += 2;
    } else {
      put_b(a[i], acls[i]);
      ++i;
    }
  }
  std::string out;  // (\p{S}) -> space \1 space
  out.reserve(b.size() + 16);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (bcls[i].symbol) {
      out += ' ';
      utf8_append(out, b[i]);
      out += ' ';
    } else {
      utf8_append(out, b[i]);
    }
  }
  return out;
}

// The words joined by single spaces, as ' '.join(...) writes them.
std::string join_words(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ' ';
    out.append(w);
  }
  return out;
}

}  // namespace

std::string sacrebleu_tokenize_13a(std::string_view line) {
  // The metric's own path (sacrebleu_words), less the rstrip BLEU applies first: Tokenizer13a
  // itself sees "-\n" at the end of a line.
  std::string replaced;
  if (replace_13a(line, replaced)) line = replaced;
  std::vector<std::string_view> words;
  words_13a(line, words);
  return join_words(words);
}

std::string sacrebleu_tokenize_intl(std::string_view line) {
  return join_words(py_split(spaced_intl(line)));
}

void sacrebleu_words(std::string_view segment, SacreBleuTokenizer tok, bool lowercase,
                     std::string& buffer, std::vector<std::string_view>& out) {
  if (lowercase) {
    buffer = py_lower(segment);
    segment = buffer;
  }
  segment = py_rstrip(segment);
  switch (tok) {
    case SacreBleuTokenizer::k13a: {
      thread_local std::string replaced;
      if (replace_13a(segment, replaced)) {
        buffer.swap(replaced);  // `segment` may view the old buffer, now `replaced`: still alive
        segment = buffer;
      }
      words_13a(segment, out);
      return;
    }
    case SacreBleuTokenizer::kIntl: buffer = spaced_intl(segment); break;
    case SacreBleuTokenizer::kNone: out = py_split(segment); return;
  }
  out = py_split(buffer);
}

std::vector<std::string_view> sacrebleu_words(std::string_view segment, SacreBleuTokenizer tok,
                                              bool lowercase, std::string& buffer) {
  std::vector<std::string_view> out;
  sacrebleu_words(segment, tok, lowercase, buffer, out);
  return out;
}

}  // namespace imaxbench
