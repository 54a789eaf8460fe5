#include "metrics/text/ptb_tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "metrics/text/jflex_scanner.h"
#include "metrics/text/ptb_lexer_spec.h"
#include "metrics/text/ptb_rewrite.h"
#include "core/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

const jflex::Scanner& ptb_scanner() {
  static const jflex::Scanner scanner(ptb_scanner_spec());
  return scanner;
}

// Buffers a thread reuses for every text it tokenizes, so that a caption allocates only its
// result. `units` and `raw` are used up to a length kept aside: growing them never zero-fills.
struct Buffers {
  std::u16string units, text;
  std::string raw, clean, utf8;
};

Buffers& thread_buffers() {
  thread_local Buffers buffers;
  return buffers;
}

// Makes room for `size` elements without shrinking.
template <typename String>
inline void ensure_size(String& s, std::size_t size) {
  if (s.size() < size) [[unlikely]]
    s.resize(std::max(size, 2 * s.size()));
}

// Writes at units[len] the UTF-16 code units JFlex scans for UTF-8 `text` and returns the new
// length; an invalid byte becomes U+FFFD as in Java's decoder. With `newline_to_space`, "\n"
// becomes ' ' (only an ASCII byte decodes to it).
std::size_t append_units(std::u16string& units, std::size_t len, std::string_view text,
                         bool newline_to_space) {
  ensure_size(units, len + text.size() + 1);  // never more units than bytes
  char16_t* const begin = units.data();
  char16_t* dst = begin + len;
  const char16_t newline = newline_to_space ? u' ' : u'\n';
  for (std::size_t i = 0; i < text.size();) {
    // Reports are mostly ASCII: widen 8 bytes at once while none has its high bit set.
    std::uint64_t word = 0x80;
    if (i + 8 <= text.size()) std::memcpy(&word, text.data() + i, 8);
    if ((word & 0x8080808080808080u) == 0) {
      for (int k = 0; k < 8; ++k) {
        const char16_t c = static_cast<unsigned char>(text[i + k]);
        dst[k] = c == u'\n' ? newline : c;
      }
      dst += 8;
      i += 8;
    } else if (static_cast<unsigned char>(text[i]) < 0x80) {
      const char16_t c = static_cast<unsigned char>(text[i++]);
      *dst++ = c == u'\n' ? newline : c;
    } else {
      char32_t cp = utf8_next(text, i);
      if (cp >= kRawByteBase) cp = 0xFFFD;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        *dst++ = static_cast<char16_t>(0xD800 + (cp >> 10));
        *dst++ = static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
      } else {
        *dst++ = static_cast<char16_t>(cp);
      }
    }
  }
  return static_cast<std::size_t>(dst - begin);
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

constexpr bool ascii_space(char16_t u) {
  return u == ' ' || (u >= 0x09 && u <= 0x0d) || (u >= 0x1c && u <= 0x1f);
}

// pycocoevalcap's PUNCTUATIONS, case-sensitive as Python compares them (so the jar's lower-cased
// "-lrb-" is kept): "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",",
// ":", "-", "--", "...", ";". Tested on every token, hence no search.
inline bool is_punctuation(std::string_view token) {
  switch (token.size()) {
    case 1:
      switch (token[0]) {
        case '\'': case '`': case '.': case '?': case '!': case ',': case ':': case '-': case ';':
          return true;
        default:
          return false;
      }
    case 2:
      return token == "''" || token == "``" || token == "--";
    case 3:
      return token == "...";
    case 5:
      return token[0] == '-' && token[4] == '-' &&
             (token == "-LRB-" || token == "-RRB-" || token == "-LCB-" || token == "-RCB-");
    default:
      return false;
  }
}

// Tokens as the jar prints them (raw lines) and as pycocoevalcap keeps them (clean lines). A
// token holding Python whitespace (U+00A0 from a fraction or phone number, a tab inside an SGML
// tag) makes pycocoevalcap's split(' ') and rstrip() matter, so that line is cleaned from its raw
// form; every other line is cleaned token by token. Each line goes to whichever of raw_lines,
// clean_lines and joined (non-empty clean lines joined by ' ') is given.
class Output {
 public:
  Output(Buffers& buffers, std::vector<std::string>* raw_lines,
         std::vector<std::string>* clean_lines, std::string* joined)
      : raw_(buffers.raw), clean_(buffers.clean), utf8_(buffers.utf8), raw_lines_(raw_lines),
        clean_lines_(clean_lines), joined_(joined) {
    clean_.clear();
  }

  void token(std::u16string_view units) {
    // The lower-cased token goes straight into raw_; clean_ copies it unless it is punctuation.
    ensure_size(raw_, raw_len_ + units.size() + 1);
    if (raw_tokens_++ > 0) raw_[raw_len_++] = ' ';
    const std::size_t start = raw_len_;
    char* dst = raw_.data() + start;
    bool ascii = true, split = false;
    for (std::size_t i = 0; i < units.size(); ++i) {
      const char16_t u = units[i];
      if (u >= 0x80) {
        ascii = false;
        break;
      }
      split = split || ascii_space(u);
      dst[i] = static_cast<char>(u >= 'A' && u <= 'Z' ? u + 32 : u);
    }
    if (ascii) {
      raw_len_ += units.size();
    } else {
      for (char16_t u : units) split = split || (u < 0x80 ? ascii_space(u) : py_isspace(u));
      utf8_.clear();
      append_utf8(utf8_, units);
      const std::string lower = py_lower(utf8_);  // String.toLowerCase(Locale.ENGLISH)
      ensure_size(raw_, start + lower.size());
      std::memcpy(raw_.data() + start, lower.data(), lower.size());
      raw_len_ += lower.size();
    }
    python_split_ = python_split_ || split;
    const std::string_view word(raw_.data() + start, raw_len_ - start);
    if (!python_split_ && !is_punctuation(word)) {  // clean_ is unused once split
      if (clean_tokens_++ > 0) clean_ += ' ';
      clean_ += word;
    }
  }

  void end_line() {
    const std::string_view raw(raw_.data(), raw_len_);
    if (raw_lines_) raw_lines_->emplace_back(raw);
    std::string split_line;
    if (python_split_) split_line = coco_clean_line(raw);
    const std::string& line = python_split_ ? split_line : clean_;
    if (clean_lines_) clean_lines_->push_back(line);
    if (joined_ && !line.empty()) {
      if (!joined_->empty()) *joined_ += ' ';
      *joined_ += line;
    }
    raw_len_ = raw_tokens_ = clean_tokens_ = 0;
    clean_.clear();
    python_split_ = false;
  }

 private:
  std::string &raw_, &clean_, &utf8_;
  std::vector<std::string>* raw_lines_;
  std::vector<std::string>* clean_lines_;
  std::string* joined_;
  std::size_t raw_len_ = 0, raw_tokens_ = 0, clean_tokens_ = 0;
  bool python_split_ = false;
};

void tokenize_into(std::u16string_view units, Output& out, Buffers& b) {
  const jflex::Scanner& scanner = ptb_scanner();
  jflex::Scanner::DfaCache& cache = scanner.thread_cache();  // once: a thread_local lookup
  const auto rules = ptb_rules();
  std::size_t pos = 0;
  while (pos < units.size()) {
    const jflex::Match m = scanner.match(cache, units, pos);
    if (m.rule < 0) {  // cannot happen: the last rule takes any unit but \n, NEWLINE takes \n
      ++pos;
      continue;
    }
    const PtbRule& rule = rules[m.rule];
    const std::u16string_view matched = units.substr(pos, m.token_end - pos);
    if (rule.action == PtbAction::kText ||
        (rule.action == PtbAction::kSoftHyphens && matched.find(u'\u00AD') == matched.npos)) {
      out.token(matched);  // most tokens: the text as it stands
      pos += matched.size();
    } else if (rule.action == PtbAction::kSkip) {
      pos += matched.size();
    } else if (rule.action == PtbAction::kNewline) {
      out.end_line();
      pos += matched.size();
    } else {
      const PtbToken token = ptb_rewrite(rule, matched, b.text);
      out.token(token.text);
      pos += token.consumed;
    }
  }
}

// Tokenizes the thread's units[0, len).
void tokenize_buffered(Buffers& b, std::size_t len, Output& out) {
  tokenize_into(std::u16string_view(b.units.data(), len), out, b);
  out.end_line();
  // One huge text should not pin its buffers to the thread for good.
  if (b.units.size() + b.raw.size() > (1u << 21)) b = Buffers{};
}

}  // namespace

std::vector<std::string> ptb_tokenize_lines(std::string_view text) {
  Buffers& b = thread_buffers();
  const std::size_t len = append_units(b.units, 0, text, false);
  std::vector<std::string> lines;
  Output out(b, &lines, nullptr, nullptr);
  tokenize_buffered(b, len, out);
  return lines;
}

bool coco_is_punctuation(std::string_view token) { return is_punctuation(token); }

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
  Buffers& b = thread_buffers();
  std::size_t len = 0;
  for (std::size_t i = 0; i < captions.size(); ++i) {
    if (i > 0) len = append_units(b.units, len, "\n", false);
    len = append_units(b.units, len, captions[i], true);
  }
  std::vector<std::string> lines;
  Output out(b, nullptr, &lines, nullptr);
  tokenize_buffered(b, len, out);
  lines.resize(captions.size());  // zip(): lines beyond the captions are dropped
  return lines;
}

std::string coco_tokenize(std::string_view caption) {
  Buffers& b = thread_buffers();
  std::size_t len = append_units(b.units, 0, caption, true);
  len = append_units(b.units, len, "\n", false);
  // Line breaks other than "\n" inside the caption: its tokens stay together.
  std::string joined;
  joined.reserve(caption.size());
  Output out(b, nullptr, nullptr, &joined);
  tokenize_buffered(b, len, out);
  return joined;
}

}  // namespace imaxbench
