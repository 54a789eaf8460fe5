// Finding a run to compare: its results document, its raw answers and the suite file to re-score
// them against, from a run folder, a results file or a leaderboard row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/answers.h"

namespace imaxbench {

struct RunSource {
  std::string label;  // as the user named it (a folder, a file, "run 12")
  nlohmann::json results;
  AnswerSet answers;
  std::string suite_path;
  std::string model;  // leaderboard rows only
  std::optional<std::int64_t> run_id;
};

struct RunSourceOptions {
  std::string db_path;           // for run ids and tag: references
  std::string suite_override;    // --suite: re-score against this file
  std::string answers_override;  // --answers-a / --answers-b
  std::string suite_name;        // restricts tag: lookups to this suite (empty: any)
  bool results_only = false;     // only the results document (no answers, no suite file)
};

// `ref` is one of:
//   a run folder   DIR/results.json and DIR/samples.jsonl (the journal); the suite file comes from
//                  DIR/manifest.json or the results context;
//   a results file FILE.json, answers from its context.config.answers (what `score --out` wrote);
//   a run id       "12" or "#12" in the leaderboard database (answers stored with the run);
//   a tag          "tag:accepted": the newest run carrying that tag.
// Throws Error naming what is missing and which option supplies it.
RunSource load_run_source(const std::string& ref, const RunSourceOptions& options);

// The suite name a reference's results carry, without loading answers (for tag: lookups).
std::string suite_name_of(const RunSource& source);

}  // namespace imaxbench
