// Python string semantics the text metrics' reference implementations rely on, on UTF-8:
// str.lower() (full mappings and the Final_Sigma rule), str.isspace() with split()/strip(), re's
// \d, and the `regex` module's \p{N}, \p{P}, \p{S}. Named for sacreBLEU, the first user; rouge-score
// and the nltk BLEU tokenizers use it too. Tables: sacrebleu_unicode_tables.cc (generated).
//
// Text is UTF-8. A byte that does not start a valid sequence decodes to kRawByteBase + byte and
// encodes back to that byte, so invalid input passes through unchanged and classifies as "other".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

inline constexpr char32_t kRawByteBase = 0x110000;

// Decodes the code point at s[i] and advances i past it.
char32_t utf8_next(std::string_view s, std::size_t& i);
void utf8_append(std::string& out, char32_t cp);
std::u32string utf8_decode(std::string_view s);
std::string utf8_encode(std::u32string_view s);

bool py_isspace(char32_t cp);
bool py_isdecimal(char32_t cp);  // re's \d on str patterns
bool regex_is_number(char32_t cp);
bool regex_is_punct(char32_t cp);
bool regex_is_symbol(char32_t cp);

// str.lower() of one code point out of context: appends its lower-case form (1 or 2 code points).
void py_lower_cp(char32_t cp, std::u32string& out);
// str.lower(), including Final_Sigma (capital sigma at the end of a word becomes U+03C2).
std::string py_lower(std::string_view s);
std::u32string py_lower(std::u32string_view s);

// str.split() with no arguments: runs of Python whitespace separate words; no empty words.
std::vector<std::string_view> py_split(std::string_view s);
std::string_view py_rstrip(std::string_view s);
std::string_view py_strip(std::string_view s);

}  // namespace imaxbench
