// The leaderboard store: a SQLite database of recorded runs (default: results/store_location.h).
// Created and migrated on open (PRAGMA user_version plus a schema_migrations table); safe for
// several processes writing at once (WAL, BEGIN IMMEDIATE, retry on busy). Every function opens
// the database for the duration of the call. In a build without SQLite each throws an Error
// saying so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/answers.h"
#include "results/store_location.h"

namespace imaxbench {

constexpr int kStoreSchemaVersion = 2;

// True when this build has SQLite (IMAXBENCH_WITH_SQLITE and libsqlite3-dev found).
bool store_available();
// The message every store function throws in a build without SQLite.
std::string store_unavailable_message();

// What a run's results file does not say about it.
struct RunRecordInfo {
  std::string model_name;         // leaderboard row name (checkpoint); required
  std::vector<std::string> tags;  // e.g. "nightly", "accepted"
  std::string manifest_sha256;    // the run's manifest.json hash; empty for `score`
  std::string suite_path;         // suite file the answers were scored against (compare by id)
  std::string answers_path;       // journal or predictions file
  std::string run_dir;            // the run's folder, when there is one
  bool store_answers = true;      // keep every answer in the store so `compare ID ID` works later
};

// Adds one run (docs/formats.md §5 results document) with its per-task metric scores, tags and,
// when info.store_answers, the answers read from info.answers_path. All in one transaction:
// a concurrent writer never sees half a run. Returns the new run id.
std::int64_t record_run(const std::string& db_path, const nlohmann::json& results,
                        const RunRecordInfo& info);

// Opens the database (creating it) and migrates it to kStoreSchemaVersion; returns the version
// it had before. Throws Error for a database newer than this build knows.
int migrate_store(const std::string& db_path);

struct StoredScore {
  std::string task, metric, signature, split_sha256;
  double score = 0;  // NaN when the results had null
  std::optional<std::pair<double, double>> ci95;
  bool higher_is_better = true;
  bool is_primary = false;
  double primary_value = 0;  // suite-average value of the primary metric (NaN when not primary)
};

struct StoredRun {
  std::int64_t id = 0;
  std::string recorded_at, date, model, suite, suite_sha256, manifest_sha256, backend, device,
      git_sha, tool_version, splits_sha256, signatures_sha256, suite_path, answers_path, run_dir;
  double suite_score = 0;  // NaN when null
  std::optional<std::pair<double, double>> suite_ci95;  // the average's interval, when recorded
  std::vector<std::string> tags;
  std::vector<StoredScore> scores;  // task order as in the results file
};

struct RunQuery {
  std::string suite;  // suite name; empty: every suite
  std::string since;  // ISO date or date-time prefix; runs with date >= since
  std::string tag;    // only runs carrying this tag
  std::string model;  // only this model
};

// Runs matching `query`, oldest first (by run date, then id).
std::vector<StoredRun> list_runs(const std::string& db_path, const RunQuery& query);
std::optional<StoredRun> find_run(const std::string& db_path, std::int64_t id);
// Newest run with `tag` (on `suite` when not empty).
std::optional<StoredRun> newest_with_tag(const std::string& db_path, const std::string& tag,
                                         const std::string& suite);
// The results document recorded for run `id`; throws Error when there is no such run.
nlohmann::json stored_results(const std::string& db_path, std::int64_t id);
// The answers recorded with run `id` (path "DB#id"); throws Error when none were stored.
AnswerSet stored_answers(const std::string& db_path, std::int64_t id);

void add_tag(const std::string& db_path, std::int64_t id, const std::string& tag);
void remove_tag(const std::string& db_path, std::int64_t id, const std::string& tag);

// Order-independent hashes of a results document's split hashes and metric signatures: two runs
// are comparable when both match.
std::string splits_hash(const nlohmann::json& results);
std::string signatures_hash(const nlohmann::json& results);

}  // namespace imaxbench
