// Reads the short answer of a VQA response.
//
// Both kinds: leading wrappers "Answer:", "A:", "The answer is" are removed, and only the first
// non-empty line is kept.
// Closed questions: a leading yes/no word ("Yes.", "yes, there is a small effusion", "No, the heart
// size is normal") gives "yes"/"no" (yeah, yep, correct, true -> yes; nope, false -> no). Otherwise,
// a comma clause of the first sentence that is only "yes" or "no" is used ("Based on the image,
// yes."); a "no" inside a clause ("there is no effusion") is not read as the answer. Otherwise
// the answer is the first sentence without its final period (closed questions with options:
// "Left.", "PA view").
// Open questions: the whole first line, trimmed.
// An answer with no text is unparsed.
//
// Cost: O(n) time and memory in the answer's length n: the line, wrapper, word, sentence and
// clause steps work on views of the answer and only move forward (the text kept is copied once).
#pragma once

#include <string>
#include <string_view>

namespace imaxbench {

struct ShortAnswer {
  bool ok = false;
  std::string text;
  std::string note;
};

ShortAnswer parse_closed_answer(std::string_view raw);
ShortAnswer parse_open_answer(std::string_view raw);

}  // namespace imaxbench
