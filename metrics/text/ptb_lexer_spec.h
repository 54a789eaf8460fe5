// The token patterns of pycocoevalcap's tokenizer: Stanford CoreNLP 3.4.1's PTBLexer, with the
// options pycocoevalcap runs it with (PTBTokenizer main: -preserveLines, hence tokenizeNLs; all
// ptb3Escaping normalizations on; americanize and escapeForwardSlashAsterisk off; untokenizable
// characters deleted; the "traditional" Treebank-3 state). The patterns are transcribed from the
// lexer's JFlex specification (PTBLexer.flex at the v3.4.1 tag) so that the JFlex matching rules
// in jflex_scanner.h reproduce its tokens; each rule carries what is done with the matched text.
#pragma once

#include <span>
#include <string_view>

#include "metrics/text/jflex_scanner.h"

namespace imaxbench {

enum class PtbAction : unsigned char {
  kText,          // the matched text
  kKeep3,         // keep the first 3 units, rescan the rest ("can|not", "gon|na")
  kKeep2,         // keep the first 2 units ("'t|was", "'t|is")
  kNbsp,          // spaces become U+00A0 (SGML, fractions)
  kDashes,        // "--"
  kAmp,           // "&amp;" (any case) becomes "&"
  kSoftHyphens,   // U+00AD removed ("-" if nothing is left)
  kQuoteLeft,     // LaTeX-style quotes, opening
  kQuoteRight,    // LaTeX-style quotes, closing
  kFraction,      // vulgar fraction characters spelled out (U+00BD -> "1/2")
  kCurrency,      // cent, pound and generic currency signs normalized
  kAcronym,       // "U.S." before a capitalized function word: word, then the period again
  kPeriodAgain,   // the text, then its final period is scanned again
  kPhone,         // spaces to U+00A0, parentheses to -LRB- / -RRB-
  kParens,        // parentheses to -LRB- / -RRB- (smileys)
  kLiteral,       // a fixed token (PtbRule::literal)
  kHyphens,       // 3 or 4 hyphens become "--"
  kEllipsis,      // "..."
  kSkip,          // no token (spaces, control characters, untokenizable characters)
  kNewline,       // end of line
};

struct PtbRule {
  std::string_view pattern;
  std::string_view lookahead;  // trailing context, empty when none
  PtbAction action;
  std::string_view literal;    // the token of kLiteral
};

// The rules in JFlex priority order.
std::span<const PtbRule> ptb_rules();
// The rules and their macros as a scanner specification (caseless, as PTBLexer is).
jflex::Spec ptb_scanner_spec();

}  // namespace imaxbench
