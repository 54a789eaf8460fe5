#include "metrics/text/nltk_unimed_tokenizer.h"

#include <array>
#include <unordered_map>

#include "core/sacrebleu_unicode.h"

namespace imaxbench {

namespace {

constexpr std::u32string_view kPunct = U";/[]\"{}()=+\\_-><@`,?!";  // evaluate_metrics.py's 21
constexpr int kMaxPeriodsStripped = 32;  // re.UNICODE (== 32) passed as re.sub's count

std::string_view number_word(std::string_view w) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kMap = {{
      {"none", "0"}, {"zero", "0"}, {"one", "1"}, {"two", "2"}, {"three", "3"}, {"four", "4"},
      {"five", "5"}, {"six", "6"}, {"seven", "7"}, {"eight", "8"}, {"nine", "9"}, {"ten", "10"}}};
  for (const auto& [word, digit] : kMap)
    if (word == w) return digit;
  return w;
}

// evaluate_metrics.py's contractions (the vqaEval.py table, "somebody'd" -> "somebodyd" included).
const std::unordered_map<std::string_view, std::string_view>& contractions() {
  static const std::unordered_map<std::string_view, std::string_view> map = {
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

bool has_pair(std::u32string_view s, char32_t a, char32_t b) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (s[i] == a && s[i + 1] == b) return true;
  return false;
}

}  // namespace

std::vector<std::string> unimed_normalize_words(std::string_view text) {
  const std::u32string token = utf8_decode(text);
  // re.search(r"(\d)(\,)(\d)", token): decides removal for every punctuation character.
  bool comma_in_number = false;
  for (std::size_t i = 0; i + 2 < token.size() && !comma_in_number; ++i)
    comma_in_number = py_isdecimal(token[i]) && token[i + 1] == U',' && py_isdecimal(token[i + 2]);
  std::array<int, 128> action{};  // 0: keep, 1: delete, 2: to space
  for (char32_t p : kPunct)
    action[p] = (comma_in_number || has_pair(token, p, U' ') || has_pair(token, U' ', p)) ? 1 : 2;
  std::u32string mid;
  mid.reserve(token.size());
  for (char32_t c : token) {
    const int a = c < 128 ? action[c] : 0;
    if (a == 0) mid.push_back(c);
    else if (a == 2) mid.push_back(U' ');
  }
  // period_strip "(?!<=\d)(\.)(?!\d)": its first group is a lookahead that cannot fail before a
  // '.', so it is a period not followed by a decimal digit; the first 32 go.
  std::u32string out;
  out.reserve(mid.size());
  int stripped = 0;
  for (std::size_t i = 0; i < mid.size(); ++i) {
    const bool digit_next = i + 1 < mid.size() && py_isdecimal(mid[i + 1]);
    if (mid[i] == U'.' && !digit_next && stripped < kMaxPeriodsStripped) {
      ++stripped;
      continue;
    }
    out.push_back(mid[i]);
  }
  const std::string lowered = utf8_encode(py_lower(out));
  std::vector<std::string> words;
  for (std::string_view w : py_split(lowered)) {
    w = number_word(w);
    if (w == "a" || w == "an" || w == "the") continue;
    if (auto it = contractions().find(w); it != contractions().end()) w = it->second;
    std::string word;  // the final token.replace(",", "") (no comma survives; kept for fidelity)
    for (char c : w)
      if (c != ',') word.push_back(c);
    if (!word.empty()) words.push_back(std::move(word));
  }
  return words;
}

std::vector<std::string> unimed_hypothesis_words(std::string_view text) {
  const std::string lowered = py_lower(text);
  std::string pred;  // str.replace('<unk>', ''): one left-to-right pass, no re-scan
  pred.reserve(lowered.size());
  std::size_t pos = 0;
  for (std::size_t hit; (hit = lowered.find("<unk>", pos)) != std::string::npos; pos = hit + 5)
    pred.append(lowered, pos, hit - pos);
  pred.append(lowered, pos, std::string::npos);
  return unimed_normalize_words(py_strip(pred));
}

}  // namespace imaxbench
