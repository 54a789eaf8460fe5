// The leaderboard as shown: one row per model (its newest run, or every run), ranked by the
// multi-task average, each task's primary metric, and flags on rows that were not scored like the
// newest run (other suite file, split data or metric signatures). Built from stored runs without
// touching the database, so it is testable and renderable anywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/leaderboard_store.h"

namespace imaxbench {

struct LeaderboardOptions {
  std::string suite;       // suite name; empty: the newest run's suite
  bool all_runs = false;   // every run instead of each model's newest
  // The run that defines "scored alike" (flags compare against it); 0: the newest run tagged
  // `accepted_tag`, else the newest run of the largest group of runs scored alike.
  std::int64_t reference = 0;
  std::string accepted_tag = "accepted";  // the delta column is against its newest run
};

struct LeaderboardColumn {
  std::string task, metric;
  bool higher_is_better = true;
};

struct LeaderboardCell {
  double score = 0;  // NaN: the run has no such task or metric
  std::optional<std::pair<double, double>> ci95;
};

struct LeaderboardRow {
  int rank = 0;
  std::int64_t run_id = 0;
  std::string model, date, backend, device, git_sha;
  std::vector<std::string> tags;
  double average = 0;                  // suite score (x100), NaN when undefined
  std::optional<std::pair<double, double>> average_ci95;
  double delta = 0;                    // average - the accepted run's; NaN: none, or scored differently
  std::vector<LeaderboardCell> cells;  // one per column
  std::vector<std::string> flags;      // "suite differs", "splits differ", "signatures differ"
};

struct HistoryPoint {
  std::string date;
  double average = 0;
  std::int64_t run_id = 0;
  bool flagged = false;
  std::size_t order = 0;            // the run's place among all the suite's runs, oldest first
  std::vector<double> task_scores;  // one per column: the primary metric (NaN when absent)
};

struct Leaderboard {
  std::string suite;
  std::int64_t reference_run = 0;  // flags compare against it (LeaderboardOptions::reference)
  std::string reference_date, reference_model;
  std::string reference_reason;    // how it was chosen, for the page
  std::int64_t accepted_run = 0;   // 0: no run carries the accepted tag
  std::string accepted_tag;
  std::vector<std::string> run_dates;  // every run of the suite, oldest first (history's x axis)
  std::vector<LeaderboardColumn> columns;
  std::vector<LeaderboardRow> rows;  // ranked
  std::vector<std::pair<std::string, std::vector<HistoryPoint>>> history;  // per model, oldest first
};

// `runs` oldest first, as list_runs returns them. Throws Error when there is nothing to show.
Leaderboard build_leaderboard(const std::vector<StoredRun>& runs, const LeaderboardOptions& options);

std::string render_leaderboard_markdown(const Leaderboard& board);
nlohmann::json leaderboard_json(const Leaderboard& board);
// One self-contained HTML file: table, per-task bar charts and each model's average over time as
// inline SVG; no script or style from the network (a Content-Security-Policy forbids it).
std::string render_leaderboard_html(const Leaderboard& board);

}  // namespace imaxbench
