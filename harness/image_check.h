// `inspect --decode`: decodes every distinct image of a loaded suite, in parallel, so truncated
// or corrupt pixel data is found before a run rather than in the middle of one. Reading headers
// (what every split read does) cannot see a file cut short after its header.
#pragma once

#include <cstddef>
#include <ostream>

#include "harness/score_suite.h"

namespace imaxbench {

// Moves every valid sample whose image does not decode to its split's invalid list, with a
// message naming split file, line, id and the decoder's problem; under `strict` the first such
// sample throws instead (in suite order). Returns how many distinct images were decoded; notes
// what it does on `progress` (one line before, one after).
std::size_t decode_check_images(LoadedSuite& loaded, bool strict, std::ostream& progress);

}  // namespace imaxbench
