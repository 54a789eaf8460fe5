// What PTBLexer does with the text one of its rules matched (ptb_lexer_spec.h's PtbAction): the
// token it prints and how much of the match it consumes (the rest is scanned again).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "metrics/text/ptb_lexer_spec.h"

namespace imaxbench {

struct PtbToken {
  std::u16string_view text;  // views the match, a constant or the caller's scratch string
  std::size_t consumed = 0;
};

// `matched`: the text of the rule's pattern, trailing context excluded. kSkip and kNewline are
// the caller's (they print nothing); for them the match comes back as it is.
PtbToken ptb_rewrite(const PtbRule& rule, std::u16string_view matched, std::u16string& scratch);

}  // namespace imaxbench
