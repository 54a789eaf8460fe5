// A reimplementation of the answer processing of the official VQAv2 evaluation (vqaEval.py,
// GT-Vision-Lab/VQA), rule by rule, including its quirks, so scores match the published numbers:
//  - the whole answer: '\n' and '\t' become spaces, then surrounding whitespace is stripped;
//  - processPunctuation: each of 21 punctuation characters is deleted when the *original* text
//    has it next to a space (or the text has a digit,comma,digit anywhere), else it becomes a
//    space; then a period not followed by a digit is deleted. The original passes re.UNICODE as
//    the `count` argument of re.sub, so at most the first 32 such periods go; we do the same;
//  - processDigitArticle: split on whitespace, number words zero..ten (and "none") to digits,
//    articles a/an/the dropped, apostrophe-less contractions restored, joined by one space.
// Known differences from Python, all outside Latin-1: only ASCII and Latin-1 capitals are
// lower-cased (Greek, Cyrillic etc. are left as they are) and `\d` means 0-9 only. Whitespace
// for strip and split is Python's str.isspace set, read from UTF-8.
#include "metrics/text_normalize.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <unordered_map>

namespace imaxbench {

namespace {

constexpr std::string_view kPunct = ";/[]\"{}()=+\\_-><@`,?!";  // vqaEval.py's 21
constexpr int kMaxPeriodsStripped = 32;  // re.UNICODE (== 32) passed as re.sub's count

// A word -> replacement table that also knows which (first byte, length) pairs its keys have:
// most words of a report can be neither a number word nor a contraction, and are turned away
// before any hashing.
class WordTable {
 public:
  WordTable(std::initializer_list<std::pair<const std::string_view, std::string_view>> entries) : map_(entries) {
    for (const auto& [key, value] : map_) lengths_[static_cast<unsigned char>(key[0])] |= bit(key.size());
  }
  // `word` replaced by its value when it is a key.
  std::string_view replaced(std::string_view word) const {
    if (word.empty() || (lengths_[static_cast<unsigned char>(word[0])] & bit(word.size())) == 0) return word;
    const auto it = map_.find(word);
    return it == map_.end() ? word : it->second;
  }

 private:
  static std::uint32_t bit(std::size_t length) { return length < 31 ? std::uint32_t{1} << length : 1u << 31; }
  std::unordered_map<std::string_view, std::string_view> map_;
  std::array<std::uint32_t, 256> lengths_{};
};

const WordTable& number_words() {
  static const WordTable map = {
      {"none", "0"}, {"zero", "0"}, {"one", "1"}, {"two", "2"},   {"three", "3"}, {"four", "4"},
      {"five", "5"}, {"six", "6"},  {"seven", "7"}, {"eight", "8"}, {"nine", "9"}, {"ten", "10"}};
  return map;
}

// vqaEval.py's contraction table. Its few keys with capitals ("Im", "Ive", "Id've", "I'dve") can
// never match lower-cased words there either; they are kept so the table reads the same.
const WordTable& contractions() {
  static const WordTable map = {
      {"aint", "ain't"}, {"arent", "aren't"}, {"cant", "can't"}, {"couldve", "could've"},
      {"couldnt", "couldn't"}, {"couldn'tve", "couldn't've"}, {"couldnt've", "couldn't've"},
      {"didnt", "didn't"}, {"doesnt", "doesn't"}, {"dont", "don't"}, {"hadnt", "hadn't"},
      {"hadnt've", "hadn't've"}, {"hadn'tve", "hadn't've"}, {"hasnt", "hasn't"},
      {"havent", "haven't"}, {"hed", "he'd"}, {"hed've", "he'd've"}, {"he'dve", "he'd've"},
      {"hes", "he's"}, {"howd", "how'd"}, {"howll", "how'll"}, {"hows", "how's"},
      {"Id've", "I'd've"}, {"I'dve", "I'd've"}, {"Im", "I'm"}, {"Ive", "I've"},
      {"isnt", "isn't"}, {"itd", "it'd"}, {"itd've", "it'd've"}, {"it'dve", "it'd've"},
      {"itll", "it'll"}, {"let's", "let's"}, {"maam", "ma'am"}, {"mightnt", "mightn't"},
      {"mightnt've", "mightn't've"}, {"mightn'tve", "mightn't've"}, {"mightve", "might've"},
      {"mustnt", "mustn't"}, {"mustve", "must've"}, {"neednt", "needn't"}, {"notve", "not've"},
      {"oclock", "o'clock"}, {"oughtnt", "oughtn't"}, {"ow's'at", "'ow's'at"},
      {"'ows'at", "'ow's'at"}, {"'ow'sat", "'ow's'at"}, {"shant", "shan't"},
      {"shed've", "she'd've"}, {"she'dve", "she'd've"}, {"she's", "she's"},
      {"shouldve", "should've"}, {"shouldnt", "shouldn't"}, {"shouldnt've", "shouldn't've"},
      {"shouldn'tve", "shouldn't've"}, {"somebody'd", "somebodyd"},
      {"somebodyd've", "somebody'd've"}, {"somebody'dve", "somebody'd've"},
      {"somebodyll", "somebody'll"}, {"somebodys", "somebody's"}, {"someoned", "someone'd"},
      {"someoned've", "someone'd've"}, {"someone'dve", "someone'd've"},
      {"someonell", "someone'll"}, {"someones", "someone's"}, {"somethingd", "something'd"},
      {"somethingd've", "something'd've"}, {"something'dve", "something'd've"},
      {"somethingll", "something'll"}, {"thats", "that's"}, {"thered", "there'd"},
      {"thered've", "there'd've"}, {"there'dve", "there'd've"}, {"therere", "there're"},
      {"theres", "there's"}, {"theyd", "they'd"}, {"theyd've", "they'd've"},
      {"they'dve", "they'd've"}, {"theyll", "they'll"}, {"theyre", "they're"},
      {"theyve", "they've"}, {"twas", "'twas"}, {"wasnt", "wasn't"}, {"wed've", "we'd've"},
      {"we'dve", "we'd've"}, {"weve", "we've"}, {"werent", "weren't"}, {"whatll", "what'll"},
      {"whatre", "what're"}, {"whats", "what's"}, {"whatve", "what've"}, {"whens", "when's"},
      {"whered", "where'd"}, {"wheres", "where's"}, {"whereve", "where've"}, {"whod", "who'd"},
      {"whod've", "who'd've"}, {"who'dve", "who'd've"}, {"wholl", "who'll"}, {"whos", "who's"},
      {"whove", "who've"}, {"whyll", "why'll"}, {"whyre", "why're"}, {"whys", "why's"},
      {"wont", "won't"}, {"wouldve", "would've"}, {"wouldnt", "wouldn't"},
      {"wouldnt've", "wouldn't've"}, {"wouldn'tve", "wouldn't've"}, {"yall", "y'all"},
      {"yall'll", "y'all'll"}, {"y'allll", "y'all'll"}, {"yall'd've", "y'all'd've"},
      {"y'alld've", "y'all'd've"}, {"y'all'dve", "y'all'd've"}, {"youd", "you'd"},
      {"youd've", "you'd've"}, {"you'dve", "you'd've"}, {"youll", "you'll"},
      {"youre", "you're"}, {"youve", "you've"}};
  return map;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Bytes that can begin a whitespace character: ASCII's, and the lead bytes of the non-ASCII ones.
// Every other byte (nearly all of a report) is turned away by one table read.
constexpr std::array<bool, 256> kMayBeginSpace = [] {
  std::array<bool, 256> t{};
  for (int c : {0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0xc2, 0xe1, 0xe2, 0xe3}) t[c] = true;
  return t;
}();

// space_len() of a byte kMayBeginSpace lets through.
std::size_t long_space_len(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;  // kMayBeginSpace's ASCII bytes are all whitespace
  const std::size_t left = s.size() - i;
  if (c == 0xc2 && left >= 2 && (b(1) == 0x85 || b(1) == 0xa0)) return 2;  // NEL, NBSP
  if (left < 3) return 0;
  if (c == 0xe1 && b(1) == 0x9a && b(2) == 0x80) return 3;                  // U+1680
  if (c == 0xe2 && b(1) == 0x80 && ((b(2) >= 0x80 && b(2) <= 0x8a) ||       // U+2000..200A
                                    b(2) == 0xa8 || b(2) == 0xa9 || b(2) == 0xaf))  // 2028 2029 202F
    return 3;
  if (c == 0xe2 && b(1) == 0x81 && b(2) == 0x9f) return 3;                  // U+205F
  if (c == 0xe3 && b(1) == 0x80 && b(2) == 0x80) return 3;                  // U+3000
  return 0;
}

// Byte length of the whitespace character (Python's str.isspace) starting at s[i], else 0.
inline std::size_t space_len(std::string_view s, std::size_t i) {
  return kMayBeginSpace[static_cast<unsigned char>(s[i])] ? long_space_len(s, i) : 0;
}

// The byte offset where a trailing run of whitespace starts (s.size() when none). Read from the
// end (a forward scan read every byte: a fifth of the normalization): a whitespace character begins
// with an ASCII or UTF-8 lead byte, which never occurs inside one, so which bytes form whitespace
// does not depend on the direction they are read in, valid UTF-8 or not.
std::size_t trailing_space_start(std::string_view s) {
  std::size_t end = s.size();
  for (bool more = true; more && end > 0;) {
    more = false;
    for (std::size_t len = 1; len <= 3 && len <= end; ++len)
      if (space_len(s.substr(0, end), end - len) == len) {
        end -= len;
        more = true;
        break;
      }
  }
  return end;
}

// Strips surrounding whitespace and lower-cases into `out`.
void strip_and_lower(std::string_view answer, std::string& out) {
  std::size_t begin = 0;
  while (begin < answer.size()) {
    const std::size_t n = space_len(answer, begin);
    if (n == 0) break;
    begin += n;
  }
  std::string_view core = answer.substr(begin);
  core = core.substr(0, trailing_space_start(core));
  out.assign(core);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (c == '\n' || c == '\t') {
      c = ' ';
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (static_cast<unsigned char>(c) == 0xc3 && i + 1 < out.size()) {
      // Latin-1 capitals U+00C0..U+00DE (but U+00D7, the multiplication sign) -> +0x20.
      const auto next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9e && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
}

constexpr std::array<bool, 256> kIsPunct = [] {
  std::array<bool, 256> t{};
  for (char p : kPunct) t[static_cast<unsigned char>(p)] = true;
  return t;
}();

// processPunctuation of `in` into `out`.
void process_punctuation(const std::string& in, std::string& out) {
  // For each punctuation character: delete it (true) or turn it into a space (false). The test
  // looks at the original text only, as vqaEval.py does: "p " or " p" anywhere, or a
  // digit,comma,digit anywhere (then all 21 go). One pass over adjacent pairs.
  std::array<bool, 256> remove{};
  bool comma_in_number = false;
  for (std::size_t i = 0; i + 1 < in.size(); ++i) {
    const auto a = static_cast<unsigned char>(in[i]), b = static_cast<unsigned char>(in[i + 1]);
    if (a == ' ' && kIsPunct[b]) remove[b] = true;
    if (b == ' ' && kIsPunct[a]) remove[a] = true;
    if (b == ',' && is_digit(in[i]) && i + 2 < in.size() && is_digit(in[i + 2])) comma_in_number = true;
  }
  if (comma_in_number) remove = kIsPunct;
  // Then, in one pass, what vqaEval.py does in two: punctuation deleted or made a space, then a
  // period deleted unless the next character of that text is a digit. The next character is the
  // next one of `in` that the first step keeps (a space for kept punctuation).
  auto deleted = [&](std::size_t j) {
    const auto u = static_cast<unsigned char>(in[j]);
    return kIsPunct[u] && remove[u];
  };
  out.resize(in.size());
  char* o = out.data();
  int stripped = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto u = static_cast<unsigned char>(in[i]);
    if (kIsPunct[u]) {
      if (!remove[u]) *o++ = ' ';
      continue;
    }
    if (u == '.' && stripped < kMaxPeriodsStripped) {
      std::size_t j = i + 1;
      while (j < in.size() && deleted(j)) ++j;
      if (!(j < in.size() && !kIsPunct[static_cast<unsigned char>(in[j])] && is_digit(in[j]))) {
        ++stripped;
        continue;
      }
    }
    *o++ = in[i];
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

// Calls visit(word) for each word of `s` split on whitespace (str.split()).
template <class Visit>
void for_each_word(std::string_view s, Visit&& visit) {
  std::size_t i = 0, start = std::string_view::npos;
  while (i < s.size()) {
    const std::size_t n = space_len(s, i);
    if (n > 0) {
      if (start != std::string_view::npos) visit(s.substr(start, i - start));
      start = std::string_view::npos;
      i += n;
    } else {
      if (start == std::string_view::npos) start = i;
      ++i;
    }
  }
  if (start != std::string_view::npos) visit(s.substr(start));
}

}  // namespace

std::string vqa_normalize(std::string_view answer) {
  // The steps' texts in this thread's buffers, which keep their capacity: a report's four
  // normalizations made five allocations each.
  thread_local std::string lowered, text;
  strip_and_lower(answer, lowered);
  process_punctuation(lowered, text);
  std::string out;
  out.reserve(text.size());
  for_each_word(text, [&](std::string_view word) {
    word = number_words().replaced(word);
    if (word == "a" || word == "an" || word == "the") return;
    word = contractions().replaced(word);
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  });
  if (lowered.capacity() > (std::size_t{1} << 20)) lowered = text = std::string();  // a huge answer's
  return out;
}

NormalizedAnswer::NormalizedAnswer(std::string_view answer) : text(vqa_normalize(answer)) {
  // The words carry no whitespace and are joined by one space, so splitting on ' ' is split_space.
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    words.push_back(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
  std::vector<CountedWord> sorted;
  sorted.reserve(words.size());
  for (std::string_view w : words) sorted.push_back({CountedWord::prefix_of(w), w, 1});
  std::sort(sorted.begin(), sorted.end());
  for (const CountedWord& w : sorted) {
    if (counted.empty() || counted.back() < w) counted.push_back(w);
    else ++counted.back().n;
  }
}

std::uint64_t CountedWord::prefix_of(std::string_view word) {
  std::uint64_t prefix = 0;
  for (std::size_t i = 0; i < 8; ++i)
    prefix = prefix << 8 | (i < word.size() ? static_cast<unsigned char>(word[i]) : 0u);
  return prefix;
}

std::vector<std::string> vqa_tokens(std::string_view answer) {
  const NormalizedAnswer normalized(answer);
  return {normalized.words.begin(), normalized.words.end()};
}

}  // namespace imaxbench
