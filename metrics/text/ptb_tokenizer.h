// pycocoevalcap's PTBTokenizer, natively: what its Java step (Stanford CoreNLP 3.4.1
// `edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase`) and its Python step (drop
// the PUNCTUATIONS tokens) make of captions. The lexer is a port of PTBLexer's patterns
// (ptb_lexer_spec.h) run with JFlex's matching rules (jflex_scanner.h), so contractions
// ("isn't" -> "is n't"), possessives, brackets (-> "-lrb-", lower-cased, so pycocoevalcap keeps
// them), hyphenated words, decimals, "5mm", slashes, URLs and Unicode punctuation come out as the
// jar makes them.
//
// Known differences from pycocoevalcap (none arise in ordinary report text):
//  - Text is decoded as UTF-8 with each invalid byte replaced by U+FFFD (deleted by the lexer).
//  - Character classes follow Unicode 14 (the jar: Unicode 6); lower-casing follows Python's
//    str.lower(), which agrees with Java's String.toLowerCase(Locale.ENGLISH) up to the Unicode
//    version, except for a capital sigma that Java's word-boundary rule makes final (e.g. in
//    "anti-Σ1": Java "ς", here "σ").
//  - coco_tokenize() sees one caption; in pycocoevalcap the jar reads all captions of a call as one
//    file, and a few rules look past the end of a line: a caption ending in a one-letter acronym
//    ("grade I.") keeps its period here ("i.") but becomes "i" there when the next caption starts
//    with one of about 45 capitalized function words ("The", "It", ...); "no."/"fig."/"op." etc.
//    at the end of a caption keep their period there when the next caption starts with a digit.
//    coco_tokenize_batch() reproduces those cases exactly.
//  - A caption containing a line break other than "\n" (\r, \v, \f, U+0085, U+2028, U+2029)
//    shifts every later caption of its pycocoevalcap call onto the wrong line; here its tokens
//    simply stay with it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

// The jar's output for UTF-8 `text`: one string per input line (lines end at \n, \r\n, \r, \v,
// \f, U+0085, U+2028, U+2029), tokens lower-cased and joined by single spaces.
std::vector<std::string> ptb_tokenize_lines(std::string_view text);

// pycocoevalcap's PUNCTUATIONS list: the tokens it drops after the jar.
bool coco_is_punctuation(std::string_view token);

// pycocoevalcap's processing of one output line: rstrip, split on ' ', drop PUNCTUATIONS,
// join with ' '.
std::string coco_clean_line(std::string_view line);

// PTBTokenizer().tokenize() on captions given in this order (each caption's "\n" replaced by a
// space, all joined into one file), one tokenized caption per input caption.
std::vector<std::string> coco_tokenize_batch(std::span<const std::string> captions);

// One caption on its own, as though followed by a line break and nothing else.
std::string coco_tokenize(std::string_view caption);

}  // namespace imaxbench
