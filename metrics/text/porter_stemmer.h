// The Porter stemmer exactly as nltk 3.10.4's PorterStemmer() stems, which is what rouge-score
// 0.1.2 uses (tokenizers.DefaultTokenizer: porter.PorterStemmer(), default mode
// NLTK_EXTENSIONS, stem(word) with to_lowercase=True). NLTK_EXTENSIONS differs from the 1980
// algorithm in: a table of irregular forms (skies, dying, news, ...), words of 1-2 letters kept,
// "ies"/"ied" on 4-letter words, "alli" handled first in step 2, "bli" for "abli", "fulli" and
// "logi" rules, step 1c's "y" rule needing a consonant before it, and a 2-letter vowel-consonant
// word counting as cvc.
//
// Input: a word of ASCII letters and digits (rouge-score's tokens); ASCII capitals are lowered.
#pragma once

#include <string>
#include <string_view>

namespace imaxbench {

std::string porter_stem(std::string_view word);

}  // namespace imaxbench
