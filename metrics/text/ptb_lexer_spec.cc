#include "metrics/text/ptb_lexer_spec.h"

#include <utility>

#include "metrics/text/ptb_unicode_tables.h"

namespace imaxbench {

namespace {

using A = PtbAction;

// Macro definitions, in JFlex syntax as jflex_regex.h reads it (PTBLexer.flex, CoreNLP v3.4.1;
// non-ASCII characters written as \u escapes).
const std::pair<const char*, const char*> kMacros[] = {
    {"SGML", R"x(\<([!\?][A-Za-z\-][^>\r\n]*|)x"
             R"x([A-Za-z][A-Za-z0-9_:\.\-]*([ ]+([A-Za-z][A-Za-z0-9_:\.\-]*|)x"
             R"x([A-Za-z][A-Za-z0-9_:\.\-]*[ ]*=[ ]*('[^']*'|\"[^\"]*\")))*[ ]*\/?|)x"
             R"x(\/[A-Za-z][A-Za-z0-9_:\.\-]*)[ ]*\>)x"},
    {"SPMDASH", R"x(&(MD|mdash|ndash);|[\u0096\u0097\u2013\u2014\u2015])x"},
    {"SPAMP", R"x(&amp;)x"},
    {"SPPUNC", R"x(&(HT|TL|UR|LR|QC|QL|QR|odq|cdq|#[0-9]+);)x"},
    {"SPLET", R"x(&[aeiouAEIOU](acute|grave|uml);)x"},
    {"SPACE", R"x([ \t\u00A0\u2000-\u200A\u3000])x"},
    {"SPACES", R"x({SPACE}+)x"},
    {"NEWLINE", R"x(\r|\r?\n|\u2028|\u2029|\u000B|\u000C|\u0085)x"},
    {"SPACENL", R"x(({SPACE}|{NEWLINE}))x"},
    {"SPACENLS", R"x({SPACENL}+)x"},
    {"SENTEND", R"x({SPACENL}({SPACENL}|[:uppercase:]|{SGML}))x"},
    {"DIGIT", R"x([:digit:]|[\u07C0-\u07C9])x"},
    {"DATE", R"x({DIGIT}{1,2}[\-\/]{DIGIT}{1,2}[\-\/]{DIGIT}{2,4})x"},
    {"NUM", R"x({DIGIT}+|{DIGIT}*([.:,\u00AD\u066B\u066C]{DIGIT}+)+)x"},
    {"NUMBER", R"x([\-+]?{NUM})x"},
    {"SUBSUPNUM", R"x([\u207A\u207B\u208A\u208B]?([\u2070\u00B9\u00B2\u00B3\u2074-\u2079]+|[)x"
                  R"x(\u2080-\u2089]+))x"},
    {"FRAC", R"x(({DIGIT}{1,4}[- \u00A0])?{DIGIT}{1,4}(\\?\/|\u2044){DIGIT}{1,4})x"},
    {"FRAC2", R"x([\u00BC\u00BD\u00BE\u2153-\u215E])x"},
    {"DOLSIGN", R"x(([A-Z]*\$|#))x"},
    {"DOLSIGN2", R"x([\u00A2\u00A3\u00A4\u00A5\u0080\u20A0\u20AC\u060B\u0E3F\u20A4\uFFE0\uFFE1)x"
                 R"x(\uFFE5\uFFE6])x"},
    {"LETTER", R"x(([:letter:]|{SPLET}|[\u00AD\u0237-\u024F\u02C2-\u02C5\u02D2-\u02DF\u02E5-)x"
               R"x(\u02FF\u0300-\u036F\u0370-\u037D\u0384\u0385\u03CF\u03F6\u03FC-\u03FF)x"
               R"x(\u0483-\u0487\u04CF\u04F6-\u04FF\u0510-\u0525\u055A-\u055F\u0591-\u05BD)x"
               R"x(\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u0615-\u061A\u063B-\u063F\u064B-\u065E)x"
               R"x(\u0670\u06D6-\u06EF\u06FA-\u06FF\u070F\u0711\u0730-\u074F\u0750-\u077F)x"
               R"x(\u07A6-\u07B1\u07CA-\u07F5\u07FA\u0900-\u0903\u093C\u093E-\u094E\u0951-)x"
               R"x(\u0955\u0962-\u0963\u0981-\u0983\u09BC-\u09C4\u09C7\u09C8\u09CB-\u09CD)x"
               R"x(\u09D7\u09E2\u09E3\u0A01-\u0A03\u0A3C\u0A3E-\u0A4F\u0A81-\u0A83\u0ABC-)x"
               R"x(\u0ACF\u0B82\u0BBE-\u0BC2\u0BC6-\u0BC8\u0BCA-\u0BCD\u0C01-\u0C03\u0C3E-)x"
               R"x(\u0C56\u0D3E-\u0D44\u0D46-\u0D48\u0E30-\u0E3A\u0E47-\u0E4E\u0EB1-\u0EBC)x"
               R"x(\u0EC8-\u0ECD]))x"},
    {"WORD", R"x({LETTER}({LETTER}|{DIGIT})*([.!?]{LETTER}({LETTER}|{DIGIT})*)*)x"},
    {"FILENAME_EXT", R"x(bat|bmp|c|class|cgi|cpp|dll|doc|docx|exe|gif|gz|h|htm|html|jar|java|)x"
                     R"x(jpeg|jpg|mov|mp3|pdf|php|pl|png|ppt|ps|py|sql|tar|txt|wav|x|xml|zip)x"},
    {"FILENAME", R"x(({LETTER}|{DIGIT})+([.]({LETTER}|{DIGIT})+)*([.]{FILENAME_EXT}))x"},
    {"THING", R"x(([dDoOlL]{APOSETCETERA}([:letter:]|[:digit:]))?([:letter:]|)x"
              R"x([:digit:])+({HYPHEN}([dDoOlL]{APOSETCETERA}([:letter:]|)x"
              R"x([:digit:]))?([:letter:]|[:digit:])+)*)x"},
    {"THINGA", R"x([A-Z]+(([+&]|{SPAMP})[A-Z]+)+)x"},
    {"THING3", R"x([A-Za-z0-9]+(-[A-Za-z]+){0,2}(\\?\/[A-Za-z0-9]+(-[A-Za-z]+){0,2}){1,2})x"},
    {"APOS", R"x(['\u0092\u2019]|&apos;)x"},
    {"APOSETCETERA", R"x({APOS}|[`\u0091\u2018\u201B])x"},
    {"HTHING", R"x([A-Za-z0-9][A-Za-z0-9.,\u00AD]*(-([A-Za-z0-9\u00AD]+|{ACRO2}\.))+)x"},
    {"REDAUX", R"x({APOS}([msdMSD]|re|ve|ll))x"},
    {"SWORD", R"x([A-Za-z\u00AD]*[A-MO-Za-mo-z](\u00AD)*)x"},
    {"SREDAUX", R"x(n{APOSETCETERA}t)x"},
    {"APOWORD", R"x({APOS}n{APOS}?|[lLdDjJ]{APOS}|Dunkin{APOS}|somethin{APOS}|ol{APOS}|)x"
                R"x({APOS}em|[A-HJ-XZn]{APOSETCETERA}[:letter:]{2}[:letter:]*|{APOS}[2-9]0s|)x"
                R"x({APOS}till?|)x"
                R"x([:letter:][:letter:]*[aeiouyAEIOUY]{APOSETCETERA}[aeiouA-Z][:letter:]*|)x"
                R"x({APOS}cause|cont'd\.?|'twas|nor'easter|c'mon|e'er|s'mores|ev'ry|li'l|)x"
                R"x(nat'l|O{APOSETCETERA}o)x"},
    {"APOWORD2", R"x(y{APOS})x"},
    {"FULLURL", R"x(https?:\/\/[^ \t\n\f\r\"<>|(){}]+[^ \t\n\f\r\"<>|.!?(){},-])x"},
    {"LIKELYURL", R"x(((www\.([^ \t\n\f\r\"<>|.!?(){},]+\.)+[a-zA-Z]{2,4})|)x"
                  R"x((([^ \t\n\f\r\"`'<>|.!?(){},-_$]+\.)+(com|net|org|)x"
                  R"x(edu)))(\/[^ \t\n\f\r\"<>|()]+[^ \t\n\f\r\"<>|.!?(){},-])?)x"},
    {"EMAIL", R"x((&lt;|<)?[a-zA-Z0-9][^ \t\n\f\r\"<>|()\u00A0{}]*@([^ \t\n\f\r\"<>|(){}.)x"
              R"x(\u00A0]+\.)*([^ \t\n\f\r\"<>|(){}.\u00A0]+)(&gt;|>)?)x"},
    {"TWITTER_NAME", R"x(@[a-zA-Z_][a-zA-Z_0-9]*)x"},
    {"TWITTER_CATEGORY", R"x(#{LETTER}+)x"},
    {"TWITTER", R"x({TWITTER_NAME}|{TWITTER_CATEGORY})x"},
    {"ABMONTH", R"x(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)x"},
    {"ABDAYS", R"x(Mon|Tue|Tues|Wed|Thu|Thurs|Fri)x"},
    {"ABSTATE", R"x(Ala|Ariz|[A]z|[A]rk|Calif|Colo|Conn|Ct|Dak|[D]el|Fla|Ga|[I]ll|Ind|Kans?|)x"
                R"x(Ky|[L]a|[M]ass|Md|Mich|Minn|[M]iss|Mo|Mont|Neb|Nev|Okla|[O]re|[P]a|Penn|)x"
                R"x(Tenn|[T]ex|Va|Vt|[W]ash|Wisc?|Wyo)x"},
    {"ABCOMP", R"x(Inc|Cos?|Corp|Pp?t[ye]s?|Ltd|Plc|Rt|Bancorp|Bhd|Assn|Univ|Intl|Sys)x"},
    {"ABNUM", R"x(tel|est|ext|sq)x"},
    {"ABPTIT", R"x(Jr|Sr|Bros|(Ed|Ph)\.D|Blvd|Rd|Esq)x"},
    {"ABBREV1", R"x(({ABMONTH}|{ABDAYS}|{ABSTATE}|{ABCOMP}|{ABNUM}|{ABPTIT}|etc|al|seq|Bldg)\.)x"},
    {"ACRO", R"x([A-Za-z](\.[A-Za-z])*|(Canada|Sino|Korean|EU|Japan|non)-U\.S|U\.S\.-(U\.K|)x"
             R"x(U\.S\.S\.R))x"},
    {"ACRO2", R"x([A-Za-z](\.[A-Za-z])+|(Canada|Sino|Korean|EU|Japan|non)-U\.S|U\.S\.-(U\.K|)x"
              R"x(U\.S\.S\.R))x"},
    {"ABTITLE", R"x(Mr|Mrs|Ms|[M]iss|Drs?|Profs?|Sens?|Reps?|Attys?|Lt|Col|Gen|Messrs|Govs?|)x"
                R"x(Adm|Rev|Maj|Sgt|Cpl|Pvt|Capt|Ste?|Ave|Pres|Lieut|Hon|Brig|Co?mdr|Pfc|Spc|)x"
                R"x(Supts?|Det|Mt|Ft|Adj|Adv|Asst|Assoc|Ens|Insp|Mlle|Mme|Msgr|Sfc)x"},
    {"ABCOMP2", R"x(Invt|Elec|Natl|M[ft]g|Dept)x"},
    {"ABBREV4", R"x({ABTITLE}|vs|Alex|Wm|Jos|Cie|a\.k\.a|cf|TREAS|Ph|{ACRO}|{ABCOMP2})x"},
    {"ABBREV2", R"x({ABBREV4}\.)x"},
    {"ACRONYM", R"x(({ACRO})\.)x"},
    {"ABBREV3", R"x((ca|figs?|prop|nos?|art|bldg|prop|pp|op)\.)x"},
    {"PHONE", R"x((\([0-9]{2,3}\)[ \u00A0]?|(\+\+?)?([0-9]{2,4}[\- \u00A0])?[0-9]{2,4}[\- )x"
              R"x(\u00A0])[0-9]{3,4}[\- \u00A0]?[0-9]{3,5}|)x"
              R"x(((\+\+?)?[0-9]{2,4}\.)?[0-9]{2,4}\.[0-9]{3,4}\.[0-9]{3,5})x"},
    {"FAKEDUCKFEET", R"x(<<|>>)x"},
    {"LESSTHAN", R"x(<|&lt;)x"},
    {"GREATERTHAN", R"x(>|&gt;)x"},
    {"HYPHEN", R"x([-_\u058A\u2010\u2011])x"},
    {"HYPHENS", R"x(\-+)x"},
    {"LDOTS", R"x(\.{3,5}|(\.[ \u00A0]){2,4}\.|[\u0085\u2026])x"},
    {"ATS", R"x(@+)x"},
    {"UNDS", R"x(_+)x"},
    {"ASTS", R"x(\*+|(\\\*){1,3})x"},
    {"HASHES", R"x(#+)x"},
    {"FNMARKS", R"x({ATS}|{HASHES}|{UNDS})x"},
    {"INSENTP", R"x([,;:\u3001])x"},
    {"QUOTES", R"x({APOS}|''|[`\u2018\u2019\u201A\u201B\u201C\u201D\u0091\u0092\u0093\u0094)x"
               R"x(\u201E\u201F\u2039\u203A\u00AB\u00BB]{1,2})x"},
    {"DBLQUOT", R"x(\"|&quot;)x"},
    {"TBSPEC", R"x(-(RRB|LRB|RCB|LCB|RSB|LSB)-|C\.D\.s|pro-|anti-|S(&|&amp;)P-500|S(&|)x"
               R"x(&amp;)Ls|Cap{APOS}n|c{APOS}est)x"},
    {"TBSPEC2", R"x({APOS}[0-9][0-9])x"},
    {"SMILEY", R"x([<>]?[:;=][\-o\*']?[\(\)DPdpO\\{@\|\[\]])x"},
    {"ASIANSMILEY", R"x([\^x=~<>]\.\[\^x=~<>]|[\-\^x=~<>']_[\-\^x=~<>']|)x"
                    R"x(\([\-\^x=~<>'][_.]?[\-\^x=~<>']\)|\([\^x=~<>']-[\^x=~<>'`]\))x"},
    {"MISCSYMBOL", R"x([+%&~\^|\\\u00A6\u00A7\u00A8\u00A9\u00AC\u00AE\u00AF\u00B0-\u00B3)x"
                   R"x(\u00B4-\u00BA\u00D7\u00F7\u0387\u05BE\u05C0\u05C3\u05C6\u05F3\u05F4)x"
                   R"x(\u0600-\u0603\u0606-\u060A\u060C\u0614\u061B\u061E\u066A\u066D\u0703-)x"
                   R"x(\u070D\u07F6\u07F7\u07F8\u0964\u0965\u0E4F\u1FBD\u2016\u2017\u2020-)x"
                   R"x(\u2023\u2030-\u2038\u203B\u203E-\u2042\u2044\u207A-\u207F\u208A-\u208E)x"
                   R"x(\u2100-\u214F\u2190-\u21FF\u2200-\u2BFF\u3012\u30FB\uFF01-\uFF0F\uFF1A-)x"
                   R"x(\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\uFF65])x"},
};

// The lexical rules of the traditional-Treebank-3 state, in priority order.
const PtbRule kRules[] = {
    {R"x(c[+][+])x", "", A::kText, ""},
    {R"x((c|f)#)x", "", A::kText, ""},
    {R"x(cannot)x", "", A::kKeep3, ""},
    {R"x('twas)x", "", A::kKeep2, ""},
    {R"x('tis)x", "", A::kKeep2, ""},
    {R"x(gonna|gotta|lemme|gimme|wanna)x", "", A::kKeep3, ""},
    {R"x({SGML})x", "", A::kNbsp, ""},
    {R"x({SPMDASH})x", "", A::kDashes, ""},
    {R"x({SPAMP})x", "", A::kAmp, ""},
    {R"x({SPPUNC})x", "", A::kText, ""},
    {R"x({WORD})x", R"x({REDAUX})x", A::kSoftHyphens, ""},
    {R"x({SWORD})x", R"x({SREDAUX})x", A::kSoftHyphens, ""},
    {R"x({WORD})x", "", A::kSoftHyphens, ""},
    {R"x({APOWORD})x", "", A::kText, ""},
    {R"x({APOWORD2})x", R"x([:letter:])x", A::kText, ""},
    {R"x({FULLURL})x", "", A::kText, ""},
    {R"x({LIKELYURL})x", "", A::kText, ""},
    {R"x({EMAIL})x", "", A::kText, ""},
    {R"x({TWITTER})x", "", A::kText, ""},
    {R"x({REDAUX})x", R"x([^A-Za-z])x", A::kQuoteRight, ""},
    {R"x({SREDAUX})x", R"x([^A-Za-z])x", A::kQuoteRight, ""},
    {R"x({DATE})x", "", A::kText, ""},
    {R"x({NUMBER})x", "", A::kSoftHyphens, ""},
    {R"x({SUBSUPNUM})x", "", A::kText, ""},
    {R"x({FRAC})x", "", A::kNbsp, ""},
    {R"x({FRAC2})x", "", A::kFraction, ""},
    {R"x({TBSPEC})x", "", A::kAmp, ""},
    {R"x({THING3})x", "", A::kText, ""},
    {R"x({DOLSIGN})x", "", A::kText, ""},
    {R"x({DOLSIGN2})x", "", A::kCurrency, ""},
    {R"x({ACRONYM})x",
     R"x(({SPACENLS})([A]bout|[A]ccording|[A]dditionally|[A]fter|[A]n|[A]|[A]s|[A]t|[B]ut|)x"
     R"x([E]arlier|[H]e|[H]er|[H]ere|[H]owever|[I]f|[I]n|[I]t|[L]ast|[M]any|[M]ore|[M]r\.|)x"
     R"x([M]s\.|[N]ow|[O]nce|[O]ne|[O]ther|[O]ur|[S]he|[S]ince|[S]o|[S]ome|[S]uch|[T]hat|)x"
     R"x([T]he|[T]heir|[T]hen|[T]here|[T]hese|[T]hey|[T]his|[W]e|[W]hen|[W]hile|[W]hat|[Y]et|)x"
     R"x([Y]ou|{SGML}){SPACENL})x",
     A::kAcronym, ""},
    {R"x({ABBREV3})x", R"x({SPACENL}?[:digit:])x", A::kText, ""},
    {R"x((pt[eyEY]|co)\.)x", R"x({SPACE}(ltd|lim))x", A::kText, ""},
    {R"x({ABBREV1})x", R"x({SENTEND})x", A::kPeriodAgain, ""},
    {R"x({ABBREV1})x", R"x([^][^])x", A::kText, ""},
    {R"x({ABBREV1})x", "", A::kPeriodAgain, ""},
    {R"x({ABBREV2})x", "", A::kText, ""},
    {R"x({ABBREV4})x", R"x({SPACE})x", A::kText, ""},
    {R"x({ACRO})x", R"x({SPACENL})x", A::kText, ""},
    {R"x({TBSPEC2})x", R"x({SPACENL})x", A::kText, ""},
    {R"x({FILENAME})x", R"x(({SPACENL}|[.?!,]))x", A::kText, ""},
    {R"x({WORD}\.)x", R"x({INSENTP})x", A::kSoftHyphens, ""},
    {R"x({PHONE})x", "", A::kPhone, ""},
    {R"x({DBLQUOT})x", R"x([A-Za-z0-9$])x", A::kQuoteLeft, ""},
    {R"x({DBLQUOT})x", "", A::kQuoteRight, ""},
    {R"x(\x7f)x", "", A::kSkip, ""},
    {R"x({LESSTHAN})x", "", A::kLiteral, "<"},
    {R"x({GREATERTHAN})x", "", A::kLiteral, ">"},
    {R"x({SMILEY})x", R"x([^A-Za-z0-9])x", A::kParens, ""},
    {R"x({ASIANSMILEY})x", "", A::kParens, ""},
    {R"x(\{)x", "", A::kLiteral, "-LCB-"},
    {R"x(\})x", "", A::kLiteral, "-RCB-"},
    {R"x(\[)x", "", A::kLiteral, "-LSB-"},
    {R"x(\])x", "", A::kLiteral, "-RSB-"},
    {R"x(\()x", "", A::kLiteral, "-LRB-"},
    {R"x(\))x", "", A::kLiteral, "-RRB-"},
    {R"x({HYPHENS})x", "", A::kHyphens, ""},
    {R"x({LDOTS})x", "", A::kEllipsis, ""},
    {R"x({FNMARKS})x", "", A::kText, ""},
    {R"x({ASTS})x", "", A::kText, ""},
    {R"x({INSENTP})x", "", A::kText, ""},
    {R"x([?!]+)x", "", A::kText, ""},
    {R"x([.\u00A1\u00BF\u037E\u0589\u061F\u06D4\u0700-\u0702\u07FA\u3002])x", "", A::kText, ""},
    {R"x(=)x", "", A::kText, ""},
    {R"x(\/)x", "", A::kText, ""},
    {R"x({HTHING}\.)x", R"x({INSENTP})x", A::kSoftHyphens, ""},
    {R"x({HTHING})x", "", A::kSoftHyphens, ""},
    {R"x({THING}\.)x", R"x({INSENTP})x", A::kText, ""},
    {R"x({THING})x", "", A::kText, ""},
    {R"x({THINGA}\.)x", R"x({INSENTP})x", A::kAmp, ""},
    {R"x({THINGA})x", "", A::kAmp, ""},
    {R"x(')x", R"x([A-Za-z][^ \t\n\r\u00A0])x", A::kQuoteLeft, ""},
    {R"x({REDAUX})x", "", A::kQuoteRight, ""},
    {R"x({SREDAUX})x", "", A::kQuoteRight, ""},
    {R"x({QUOTES})x", "", A::kQuoteRight, ""},
    {R"x({FAKEDUCKFEET})x", "", A::kText, ""},
    {R"x({MISCSYMBOL})x", "", A::kText, ""},
    {R"x(\0|{SPACES}|[\u200B\u200E-\u200F\uFEFF])x", "", A::kSkip, ""},
    {R"x({NEWLINE})x", "", A::kNewline, ""},
    {R"x(&nbsp;)x", "", A::kSkip, ""},
    {R"x(.)x", "", A::kSkip, ""},  // untokenizable: deleted (PTBLexer's default)
};

jflex::CharSet from_table(std::span<const CodeUnitRange> table) {
  jflex::CharSet s;
  for (const auto& r : table) s.add(r.first, r.last);
  return s;
}

}  // namespace

std::span<const PtbRule> ptb_rules() { return kRules; }

jflex::Spec ptb_scanner_spec() {
  jflex::Spec spec;
  spec.caseless = true;
  for (const auto& [name, pattern] : kMacros) spec.macros.emplace(name, pattern);
  spec.classes.emplace("letter", from_table(kPtbLetter));
  spec.classes.emplace("digit", from_table(kPtbDigit));
  spec.classes.emplace("uppercase", from_table(kPtbUpper));
  for (const PtbRule& rule : kRules)
    spec.rules.push_back({std::string(rule.pattern), std::string(rule.lookahead)});
  return spec;
}

}  // namespace imaxbench
