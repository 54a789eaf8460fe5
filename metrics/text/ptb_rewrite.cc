#include "metrics/text/ptb_rewrite.h"

namespace imaxbench {

namespace {

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

// PTBLexer's latexQuotes: "&apos;", then ', then "&quot;", then ", then the single and double
// Unicode quotes, each replaced everywhere in turn. No replacement writes a unit that a later
// one reads and neither entity can overlap another match, so one left-to-right pass is the same.
std::u16string_view latex_quotes(std::u16string_view s, bool left, std::u16string& out) {
  const std::u16string_view single = left ? u"`" : u"'", twin = left ? u"``" : u"''";
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char16_t c = s[i];
    if (c == u'&' && (s.substr(i, 6) == u"&apos;" || s.substr(i, 6) == u"&quot;")) {
      out += s[i + 1] == u'a' ? single : twin;
      i += 5;
    } else if (c == u'\'') {
      out += single;
    } else if (c == u'"') {
      out += twin;
    } else if (c == 0x91 || c == 0x2018 || c == 0x201B || c == 0x2039) {
      out += u'`';
    } else if (c == 0x92 || c == 0x2019 || c == 0x203A) {
      out += u'\'';
    } else if (c == 0x93 || c == 0x201C || c == 0xAB) {
      out += u"``";
    } else if (c == 0x94 || c == 0x201D || c == 0xBB) {
      out += u"''";
    } else {
      out += c;
    }
  }
  return out;
}

bool is_line_space(char16_t c) { return c == ' ' || c == '\t' || (c >= '\n' && c <= '\r') || c == 0x85; }

}  // namespace

PtbToken ptb_rewrite(const PtbRule& rule, std::u16string_view matched, std::u16string& scratch) {
  PtbToken token{matched, matched.size()};
  switch (rule.action) {
    case PtbAction::kText:
    case PtbAction::kSkip:
    case PtbAction::kNewline:
      return token;
    case PtbAction::kKeep3:
    case PtbAction::kKeep2:
      token.consumed = rule.action == PtbAction::kKeep3 ? 3 : 2;
      token.text = matched.substr(0, token.consumed);
      return token;
    case PtbAction::kQuoteLeft:
    case PtbAction::kQuoteRight:
      token.text = latex_quotes(matched, rule.action == PtbAction::kQuoteLeft, scratch);
      return token;
    case PtbAction::kDashes:
      token.text = u"--";
      return token;
    case PtbAction::kEllipsis:
      token.text = u"...";
      return token;
    case PtbAction::kHyphens:
      if (matched.size() >= 3 && matched.size() <= 4) token.text = u"--";
      return token;
    case PtbAction::kPeriodAgain:
      token.consumed = matched.size() - 1;
      return token;
    case PtbAction::kAcronym:
      while (!token.text.empty() && is_line_space(token.text.back())) token.text.remove_suffix(1);
      token.consumed = token.text.size() - 1;  // the period is scanned again
      if (token.text.size() == 2) token.text.remove_suffix(1);
      return token;
    default:  // the rewrites that change the text, on a copy
      break;
  }
  scratch.assign(matched);
  switch (rule.action) {
    case PtbAction::kSoftHyphens:
      std::erase(scratch, u'\u00AD');
      if (scratch.empty()) scratch = u"-";
      break;
    case PtbAction::kNbsp:
      replace_units(scratch, u" ", u"\u00A0");
      break;
    case PtbAction::kAmp:
      normalize_amp(scratch);
      break;
    case PtbAction::kFraction:
      replace_units(scratch, u"\u00BC", u"1/4");
      replace_units(scratch, u"\u00BD", u"1/2");
      replace_units(scratch, u"\u00BE", u"3/4");
      replace_units(scratch, u"\u2153", u"1/3");
      replace_units(scratch, u"\u2154", u"2/3");
      break;
    case PtbAction::kCurrency:
      replace_units(scratch, u"\u00A2", u"cents");
      replace_units(scratch, u"\u00A3", u"#");
      replace_units(scratch, u"\u0080\u00A4\u20A0\u20AC", u"$");
      break;
    case PtbAction::kPhone:
      replace_units(scratch, u" ", u"\u00A0");
      [[fallthrough]];
    case PtbAction::kParens:
      replace_units(scratch, u"(", u"-LRB-");
      replace_units(scratch, u")", u"-RRB-");
      break;
    case PtbAction::kLiteral:
      scratch.assign(rule.literal.begin(), rule.literal.end());
      break;
    default:
      break;
  }
  token.text = scratch;
  return token;
}

}  // namespace imaxbench
