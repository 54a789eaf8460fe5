#include "metrics/text/ptb_tokenizer.h"

#include <algorithm>

#include "metrics/text/jflex_scanner.h"
#include "metrics/text/ptb_lexer_spec.h"
#include "metrics/text/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

const jflex::Scanner& ptb_scanner() {
  static const jflex::Scanner scanner(ptb_scanner_spec());
  return scanner;
}

// UTF-8 to the UTF-16 code units JFlex scans; an invalid byte becomes U+FFFD as in Java's decoder.
std::u16string to_units(std::string_view text) {
  std::u16string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = utf8_next(text, i);
    if (cp >= kRawByteBase) cp = 0xFFFD;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

// UTF-16 back to UTF-8; a lone surrogate becomes '?' as Java's encoder writes it.
void append_utf8(std::string& out, std::u16string_view units) {
  for (std::size_t i = 0; i < units.size(); ++i) {
    char32_t u = units[i];
    if (u >= 0xD800 && u < 0xDC00 && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] < 0xE000) {
      u = 0x10000 + ((u - 0xD800) << 10) + (units[++i] - 0xDC00);
    } else if (u >= 0xD800 && u < 0xE000) {
      u = '?';
    }
    utf8_append(out, u);
  }
}

void replace_all(std::u16string& s, std::u16string_view from, std::u16string_view to) {
  for (std::size_t i = s.find(from); i != std::u16string::npos; i = s.find(from, i + to.size()))
    s.replace(i, from.size(), to);
}

// Replaces every unit of `chars` by `to`.
void replace_units(std::u16string& s, std::u16string_view chars, std::u16string_view to) {
  for (std::size_t i = 0; i < s.size();) {
    if (chars.find(s[i]) != std::u16string_view::npos) {
      s.replace(i, 1, to);
      i += to.size();
    } else {
      ++i;
    }
  }
}

// "&amp;" in any case, as PTBLexer's (?i:&amp;).
void normalize_amp(std::u16string& s) {
  for (std::size_t i = s.find(u'&'); i != std::u16string::npos; i = s.find(u'&', i + 1)) {
    if (s.size() - i < 5) break;
    bool match = s[i + 4] == u';';
    for (int k = 0; k < 3 && match; ++k) {
      const char16_t c = s[i + 1 + k] | 0x20;
      match = c == u"amp"[k];
    }
    if (match) s.erase(i + 1, 4);
  }
}

// PTBLexer's latexQuotes.
void latex_quotes(std::u16string& s, bool left) {
  replace_all(s, u"&apos;", left ? u"`" : u"'");
  replace_units(s, u"'", left ? u"`" : u"'");
  replace_all(s, u"&quot;", left ? u"``" : u"''");
  replace_units(s, u"\"", left ? u"``" : u"''");
  replace_units(s, u"\u0091\u2018\u201B\u2039", u"`");
  replace_units(s, u"\u0092\u2019\u203A", u"'");
  replace_units(s, u"\u0093\u201C\u00AB", u"``");
  replace_units(s, u"\u0094\u201D\u00BB", u"''");
}

bool is_line_space(char16_t c) { return c == ' ' || c == '\t' || (c >= '\n' && c <= '\r') || c == 0x85; }

constexpr std::string_view kPunctuations[] = {"''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-",
                                              "-RCB-", ".", "?", "!", ",", ":", "-", "--", "...",
                                              ";"};

// Tokens as the jar prints them (raw lines) and as pycocoevalcap keeps them (clean lines). A
// token holding Python whitespace (U+00A0 from a fraction or phone number, a tab inside an SGML
// tag) makes pycocoevalcap's split(' ') and rstrip() matter, so that line is cleaned from its raw
// form; every other line is cleaned token by token.
class Output {
 public:
  explicit Output(bool keep_raw) : keep_raw_(keep_raw) {}

  void token(std::u16string_view units) {
    word_.clear();
    bool ascii = true;
    for (char16_t u : units) {
      if (u >= 0x80) {
        ascii = false;
        python_split_ = python_split_ || py_isspace(u);
        continue;
      }
      python_split_ = python_split_ || u == ' ' || (u >= 0x09 && u <= 0x0d) || (u >= 0x1c && u <= 0x1f);
      word_ += static_cast<char>(u >= 'A' && u <= 'Z' ? u + 32 : u);
    }
    if (!ascii) {
      std::string utf8;
      append_utf8(utf8, units);
      word_ = py_lower(utf8);  // String.toLowerCase(Locale.ENGLISH)
    }
    if (raw_tokens_ > 0) raw_ += ' ';
    raw_ += word_;
    ++raw_tokens_;
    if (!coco_is_punctuation(word_)) {
      if (clean_tokens_ > 0) clean_ += ' ';
      clean_ += word_;
      ++clean_tokens_;
    }
  }

  void end_line() {
    if (keep_raw_) raw_lines.push_back(raw_);
    clean_lines.push_back(python_split_ ? coco_clean_line(raw_) : clean_);
    raw_.clear();
    clean_.clear();
    raw_tokens_ = clean_tokens_ = 0;
    python_split_ = false;
  }

  std::vector<std::string> raw_lines;
  std::vector<std::string> clean_lines;

 private:
  bool keep_raw_;
  bool python_split_ = false;
  std::string word_, raw_, clean_;
  std::size_t raw_tokens_ = 0, clean_tokens_ = 0;
};

void tokenize_into(std::u16string_view units, Output& out) {
  const jflex::Scanner& scanner = ptb_scanner();
  const auto rules = ptb_rules();
  std::size_t pos = 0;
  std::u16string text;
  while (pos < units.size()) {
    const jflex::Match m = scanner.match(units, pos);
    if (m.rule < 0) {  // cannot happen: the last rule takes any unit but \n, NEWLINE takes \n
      ++pos;
      continue;
    }
    const PtbRule& rule = rules[m.rule];
    std::size_t len = m.token_end - pos;
    if (rule.action == PtbAction::kText ||
        (rule.action == PtbAction::kSoftHyphens &&
         units.substr(pos, len).find(u'\u00AD') == std::u16string_view::npos)) {
      out.token(units.substr(pos, len));  // most tokens: the text as it stands
      pos += len;
      continue;
    }
    text.assign(units.substr(pos, len));
    std::size_t consumed = len;
    switch (rule.action) {
      case PtbAction::kText:
        break;
      case PtbAction::kKeep3:
      case PtbAction::kKeep2:
        consumed = rule.action == PtbAction::kKeep3 ? 3 : 2;
        text.resize(consumed);
        break;
      case PtbAction::kNbsp:
        replace_units(text, u" ", u"\u00A0");
        break;
      case PtbAction::kDashes:
        text = u"--";
        break;
      case PtbAction::kAmp:
        normalize_amp(text);
        break;
      case PtbAction::kSoftHyphens:
        std::erase(text, u'\u00AD');
        if (text.empty()) text = u"-";
        break;
      case PtbAction::kQuoteLeft:
      case PtbAction::kQuoteRight:
        latex_quotes(text, rule.action == PtbAction::kQuoteLeft);
        break;
      case PtbAction::kFraction:
        replace_units(text, u"\u00BC", u"1/4");
        replace_units(text, u"\u00BD", u"1/2");
        replace_units(text, u"\u00BE", u"3/4");
        replace_units(text, u"\u2153", u"1/3");
        replace_units(text, u"\u2154", u"2/3");
        break;
      case PtbAction::kCurrency:
        replace_units(text, u"\u00A2", u"cents");
        replace_units(text, u"\u00A3", u"#");
        replace_units(text, u"\u0080\u00A4\u20A0\u20AC", u"$");
        break;
      case PtbAction::kAcronym:
        while (!text.empty() && is_line_space(text.back())) text.pop_back();
        consumed = text.size() - 1;  // the period is scanned again
        if (text.size() == 2) text.resize(1);
        break;
      case PtbAction::kPeriodAgain:
        consumed = len - 1;
        break;
      case PtbAction::kPhone:
        replace_units(text, u" ", u"\u00A0");
        [[fallthrough]];
      case PtbAction::kParens:
        replace_units(text, u"(", u"-LRB-");
        replace_units(text, u")", u"-RRB-");
        break;
      case PtbAction::kLiteral:
        text.assign(rule.literal.begin(), rule.literal.end());
        break;
      case PtbAction::kHyphens:
        if (len >= 3 && len <= 4) text = u"--";
        break;
      case PtbAction::kEllipsis:
        text = u"...";
        break;
      case PtbAction::kSkip:
        pos += consumed;
        continue;
      case PtbAction::kNewline:
        out.end_line();
        pos += consumed;
        continue;
    }
    out.token(text);
    pos += consumed;
  }
}

}  // namespace

std::vector<std::string> ptb_tokenize_lines(std::string_view text) {
  Output out(true);
  tokenize_into(to_units(text), out);
  out.end_line();
  return std::move(out.raw_lines);
}

bool coco_is_punctuation(std::string_view token) {
  if (token.empty() || std::string_view("'`-.?!,:;").find(token[0]) == std::string_view::npos)
    return false;
  return std::find(std::begin(kPunctuations), std::end(kPunctuations), token) !=
         std::end(kPunctuations);
}

std::string coco_clean_line(std::string_view line) {
  line = py_rstrip(line);
  std::string out;
  bool first = true;
  for (std::size_t begin = 0;;) {
    const std::size_t end = std::min(line.find(' ', begin), line.size());
    const std::string_view word = line.substr(begin, end - begin);
    if (!coco_is_punctuation(word)) {
      if (!first) out += ' ';
      out += word;
      first = false;
    }
    if (end == line.size()) break;
    begin = end + 1;
  }
  return out;
}

std::vector<std::string> coco_tokenize_batch(std::span<const std::string> captions) {
  std::string file;
  for (std::size_t i = 0; i < captions.size(); ++i) {
    if (i > 0) file += '\n';
    for (char c : captions[i]) file += c == '\n' ? ' ' : c;
  }
  Output out(false);
  tokenize_into(to_units(file), out);
  out.end_line();
  out.clean_lines.resize(captions.size());  // zip(): lines beyond the captions are dropped
  return std::move(out.clean_lines);
}

std::string coco_tokenize(std::string_view caption) {
  std::u16string units = to_units(caption);
  std::replace(units.begin(), units.end(), u'\n', u' ');
  units += u'\n';
  Output out(false);
  tokenize_into(units, out);
  out.end_line();
  // Line breaks other than "\n" inside the caption: its tokens stay together.
  std::string joined;
  for (const std::string& line : out.clean_lines) {
    if (line.empty()) continue;
    if (!joined.empty()) joined += ' ';
    joined += line;
  }
  return joined;
}

}  // namespace imaxbench
