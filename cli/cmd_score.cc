// `imaxbench score`: score a model's raw answers (a predictions file or a run's journal) against a
// suite, with no model. Prints the table and writes the results JSON.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "harness/answer_conventions.h"
#include "cli/cli_options.h"
#include "harness/run_manifest.h"
#include "cli/commands.h"
#include "results/result_sink.h"
#include "harness/score_suite.h"
#include "harness/stage_progress.h"
#include "results/leaderboard_sink.h"
#include "core/error.h"
#include "core/keep_until_exit.h"

namespace imaxbench {

namespace {

struct ScoreArgs {
  CommonOptions common;
  std::string predictions;
  std::string journal;
  std::string out;
  std::string log_samples;  // --log-samples FILE
  bool quiet = false;
  std::string progress = "auto";
  // Leaderboard recording (results/leaderboard_store.h).
  RecordOptions record;
  bool no_store_answers = false;
};

// The leaderboard sink for the scored answers (docs/formats.md §5 results, answers kept for compare).
std::unique_ptr<ResultSink> leaderboard_sink(const ScoreArgs& a, const std::string& answers_path) {
  namespace fs = std::filesystem;
  LeaderboardSinkOptions o = leaderboard_options(a.record, a.quiet);
  // Default name: the run folder for a journal (DIR/samples.jsonl), else the file's stem.
  const fs::path p(answers_path);
  if (o.info.model_name.empty())
    o.info.model_name = !a.journal.empty() && p.has_parent_path() ? fs::absolute(p).parent_path().filename().string()
                                                                  : p.stem().string();
  o.info.suite_path = a.common.suite;
  o.info.answers_path = answers_path;
  if (!a.journal.empty()) o.info.run_dir = p.parent_path().string();
  o.info.store_answers = !a.no_store_answers;
  return make_leaderboard_sink(std::move(o));
}

int run_score(const ScoreArgs& a) {
  auto threads = limit_threads(a.common.threads);
  if (a.predictions.empty() == a.journal.empty())
    throw UsageError("score: give exactly one of --predictions FILE or --journal DIR/samples.jsonl");
  const std::string& answers_path = a.predictions.empty() ? a.journal : a.predictions;

  StageProgress progress(std::cerr, a.quiet ? ProgressMode::kOff : parse_progress_mode(a.progress));
  progress.stage("reading " + a.common.suite);
  LoadedSuite loaded = load_suite_splits(a.common.suite, a.common.tasks, a.common.split);
  // A run's journal is scored in the box format its model answered in (recorded in the manifest).
  if (const auto manifest = std::filesystem::path(a.journal).parent_path() / "manifest.json";
      !a.journal.empty() && std::filesystem::exists(manifest))
    apply_recorded_conventions(loaded.suite, read_manifest(manifest.string())["settings"]);
  AnswerSet answers = read_answers(answers_path, a.common.split.strict);
  std::optional<SampleLog> log;
  if (!a.log_samples.empty()) log.emplace(a.log_samples);
  ScoredSuite scored = score_answers(loaded, &answers, a.common.bootstrap, log ? &*log : nullptr, &progress);
  if (log) log->finish();
  progress.finish();
  report_answer_problems(answers, scored.unknown_ids, std::cerr, a.common.tasks);

  std::error_code ec;
  nlohmann::json config = {{"command", "score"},
                           {"answers", answers_path},
                           {"suite_path", std::filesystem::absolute(a.common.suite, ec).lexically_normal().string()},
                           {"bootstrap", a.common.bootstrap.resamples},
                           {"seed", a.common.bootstrap.seed},
                           {"cluster_by_image", a.common.bootstrap.cluster_by_image},
                           {"strict", a.common.split.strict},
                           {"tasks", a.common.tasks},
                           {"unknown_answer_ids", scored.unknown_ids.size()}};
  nlohmann::json context = base_context(loaded.suite.name, loaded.suite.sha256,
                                        a.predictions.empty() ? "journal" : "predictions", "none", config);
  std::vector<std::unique_ptr<ResultSink>> sinks;
  if (!a.quiet) sinks.push_back(make_console_sink(std::cout));
  if (!a.out.empty()) sinks.push_back(make_json_file_sink(a.out));
  if (!a.record.no_record) sinks.push_back(leaderboard_sink(a, answers_path));
  report_to_sinks(sinks, context, scored.tasks, summarize_scored(scored));
  if (!a.out.empty() && !a.quiet) std::cout << "\nresults written to " << a.out << "\n";
  keep_until_exit(std::move(loaded));
  keep_until_exit(std::move(answers));
  return 0;
}

}  // namespace

std::function<int()> setup_score_command(CLI::App& app) {
  auto args = std::make_shared<ScoreArgs>();
  auto* cmd = app.add_subcommand("score", "Score a predictions file or a run's journal against a suite (no model)");
  add_common_options(*cmd, args->common, true);
  cmd->add_option("--predictions", args->predictions, "Predictions JSONL: {\"id\", \"prediction\"} per line")
      ->check(CLI::ExistingFile);
  cmd->add_option("--journal", args->journal, "A run's journal (DIR/samples.jsonl) to re-score")
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "Write the results JSON here (docs/formats.md §5)");
  cmd->add_flag("--quiet", args->quiet, "Print no table, no progress");
  add_progress_option(*cmd, args->progress, "scoring");
  cmd->add_option("--log-samples", args->log_samples,
                  "Write each sample as scored here (JSONL: answer, parse status and why, parsed answer, "
                  "per-sample metric values; docs/formats.md); `imaxbench inspect --answers FILE` sums it up");
  add_record_options(*cmd, args->record, "--model-name,--name",
                     "Leaderboard name of the model (default: the run folder, or the predictions file's name)");
  cmd->add_flag("--no-store-answers", args->no_store_answers,
                "Record scores only, not the answers (then `compare` needs the answers file, not the run id)");
  cmd->footer("Exit status: 0 scored, 1 bad input (or an invalid record under --strict), 2 usage.");
  return [args] { return run_score(*args); };
}

}  // namespace imaxbench
