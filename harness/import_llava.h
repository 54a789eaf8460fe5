// `imaxbench import llava`: a suite folder (one split per task, suite.json) from LLaVA-style
// conversation data, the format most medical MLLM training and evaluation sets are kept in:
//   {"id", "image", "conversations": [{"from": "human", "value": "<image>\n..."},
//                                     {"from": "gpt", "value": "..."}, ...]}
// as a JSON array or JSONL. Each human turn and the gpt turn after it is one candidate sample. A
// rules file maps instructions to tasks (docs/import.md): the first rule whose pattern matches the
// instruction gives the task, and the gpt turn is read with that task's own answer parser (the
// one that reads model answers), so a reference is exactly what imaxbench would have scored. A
// turn no rule matches, or whose reference the parser cannot read, is reported with its reason.
#pragma once

#include <cstddef>
#include <string>

#include "harness/import_common.h"

namespace imaxbench {

struct LlavaImportOptions {
  std::string input;         // JSON array or JSONL of conversations
  std::string rules;         // rules file (JSON)
  std::string out;           // suite folder to write (created; existing splits are replaced)
  std::string image_folder;  // where the records' "image" paths start (default: the input's folder)
  std::string name;          // suite name (default: the out folder's name)
};

struct LlavaImportReport : ImportReport {
  std::size_t turns = 0;  // human turns read
};

// Throws UsageError for a bad rules file, Error/DataError for an input that cannot be read at all.
LlavaImportReport import_llava(const LlavaImportOptions& options);

}  // namespace imaxbench
