// `imaxbench leaderboard`: the recorded runs ranked by the multi-task average, as markdown, JSON or
// one self-contained HTML page; also tags runs (e.g. marks a run `accepted` for the nightly gate).
#include <cctype>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "results/result_sink.h"
#include "data/suite.h"
#include "results/leaderboard_store.h"
#include "results/leaderboard_view.h"
#include "results/svg_charts.h"
#include "core/error.h"

namespace imaxbench {

namespace {

struct LeaderboardArgs {
  std::string db = default_db_path(), suite, format = "md", since, tag, out, accepted_tag = "accepted";
  bool all_runs = false;
  std::int64_t reference = 0;
  std::vector<std::string> add_tags, remove_tags;
};

std::pair<std::int64_t, std::string> parse_id_tag(const std::string& spec, const char* flag) {
  const auto eq = spec.find('=');
  const std::string id = spec.substr(0, eq);
  if (eq == std::string::npos || id.empty() || eq + 1 == spec.size() || id.size() > 18 ||
      !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); }))
    throw UsageError(std::string(flag) + " takes RUN_ID=TAG (e.g. 12=accepted), got '" + spec + "'");
  return {std::stoll(id), spec.substr(eq + 1)};
}

int run_leaderboard(const LeaderboardArgs& a) {
  if (!store_available()) throw Error(store_unavailable_message());
  if (!a.since.empty() && std::isnan(iso_days(a.since)))
    throw UsageError("--since takes an ISO date (2025-04-13) or date-time (2025-04-13T08:00:00Z), got '" + a.since + "'");
  if (!a.add_tags.empty() || !a.remove_tags.empty()) {
    for (const auto& spec : a.add_tags) {
      auto [id, tag] = parse_id_tag(spec, "--add-tag");
      add_tag(a.db, id, tag);
      std::cout << "run " << id << ": tagged " << tag << "\n";
    }
    for (const auto& spec : a.remove_tags) {
      auto [id, tag] = parse_id_tag(spec, "--remove-tag");
      remove_tag(a.db, id, tag);
      std::cout << "run " << id << ": tag " << tag << " removed\n";
    }
    return 0;
  }
  RunQuery q;
  // A suite file names its suite; anything else is taken as the name itself.
  q.suite = std::filesystem::is_regular_file(a.suite) ? load_suite(a.suite).name : a.suite;
  q.since = a.since;
  q.tag = a.tag;
  LeaderboardOptions options;
  options.suite = q.suite;
  options.all_runs = a.all_runs;
  options.reference = a.reference;
  options.accepted_tag = a.accepted_tag;
  Leaderboard board = build_leaderboard(list_runs(a.db, q), options);
  std::string text = a.format == "json" ? leaderboard_json(board).dump(2) + "\n"
                     : a.format == "html" ? render_leaderboard_html(board)
                                          : render_leaderboard_markdown(board);
  if (a.out.empty()) {
    std::cout << text;
  } else {
    write_file_atomically(a.out, text);
    std::cout << "leaderboard (" << board.rows.size() << " rows) written to " << a.out << "\n";
  }
  return 0;
}

}  // namespace

std::function<int()> setup_leaderboard_command(CLI::App& app) {
  auto args = std::make_shared<LeaderboardArgs>();
  auto* cmd = app.add_subcommand("leaderboard", "Recorded runs ranked by the multi-task average (md, json or html)");
  cmd->add_option("--db", args->db, "Leaderboard database (default: $XDG_DATA_HOME/imaxbench/leaderboard.sqlite, else ~/.local/share/imaxbench/leaderboard.sqlite)")->envname("IMAXBENCH_DB")->capture_default_str();
  cmd->add_option("--suite", args->suite, "Suite name or suite file (default: the newest run's suite)");
  cmd->add_option("--format", args->format, "md, json or html")->check(CLI::IsMember({"md", "json", "html"}))->capture_default_str();
  cmd->add_option("--since", args->since, "Only runs dated on or after this ISO date");
  cmd->add_option("--tag", args->tag, "Only runs with this tag (e.g. nightly)");
  cmd->add_flag("--all-runs", args->all_runs, "Every run as a row, not only each model's newest");
  cmd->add_option("--reference", args->reference,
                  "Run id that defines 'scored alike' (rows scored otherwise are flagged); default: the newest run "
                  "tagged --accepted-tag, else the newest run of the largest group scored alike")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--accepted-tag", args->accepted_tag, "Tag of the run the delta column is against")
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Write to this file instead of standard output");
  cmd->add_option("--add-tag", args->add_tags, "Tag a run: RUN_ID=TAG (repeatable), e.g. 12=accepted; renders nothing");
  cmd->add_option("--remove-tag", args->remove_tags, "Remove a run's tag: RUN_ID=TAG (repeatable)");
  cmd->footer("Rows whose suite file, split data or metric signatures differ from the newest run are flagged.\n"
              "Exit status: 0 shown, 1 no database, no runs or no SQLite in this build, 2 usage.");
  return [args] { return run_leaderboard(*args); };
}

}  // namespace imaxbench
