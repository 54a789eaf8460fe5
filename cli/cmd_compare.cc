// `imaxbench compare A B`: two runs (folders, results files, leaderboard ids or tag:NAME), per task
// and for the multi-task average: A, B, B-A with paired bootstrap CIs and p-values, McNemar counts,
// and a regression gate (exit 3).
#include <cstdlib>
#include <iostream>

#include "cli/cli_options.h"
#include "cli/commands.h"
#include "results/result_sink.h"
#include "harness/compare_runs.h"
#include "harness/stage_progress.h"
#include "results/compare.h"
#include "results/leaderboard_store.h"
#include "core/error.h"

namespace imaxbench {

namespace {

struct CompareArgs {
  std::string a, b, db = default_db_path(), suite, answers_a, answers_b, format = "table", out, progress = "auto";
  CompareOptions options;
  bool force = false, no_rescore = false;
  GateOptions gate;
  std::vector<std::string> gate_tasks;
  int threads = 0;
};

RunSource load(const std::string& ref, const std::string& answers, const std::string& suite_name,
               const CompareArgs& a) {
  RunSourceOptions o;
  o.db_path = a.db;
  o.suite_override = a.suite;
  o.answers_override = answers;
  o.suite_name = suite_name;
  o.results_only = a.no_rescore;
  return load_run_source(ref, o);
}

int run_compare(CompareArgs& a) {
  auto threads = limit_threads(a.threads);
  for (const auto& t : a.gate_tasks) {
    std::size_t start = 0;
    while (start <= t.size()) {
      std::size_t comma = t.find(',', start);
      std::string name = t.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!name.empty()) a.gate.gate_tasks.push_back(name);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (a.options.alpha <= 0 || a.options.alpha >= 1) throw UsageError("--alpha must be between 0 and 1");
  if (a.gate.fail_if_worse && *a.gate.fail_if_worse < 0) throw UsageError("--fail-if-worse DELTA must be >= 0");
  if (!a.no_rescore && a.options.bootstrap.resamples <= 0)
    throw UsageError("--bootstrap must be > 0 for compare (intervals and p-values need resamples)");

  // A tag is looked up on the other run's suite, so "tag:accepted" finds the right baseline.
  const bool a_tag = a.a.starts_with("tag:"), b_tag = a.b.starts_with("tag:");
  RunSource ra, rb;
  if (a_tag && !b_tag) {
    rb = load(a.b, a.answers_b, "", a);
    ra = load(a.a, a.answers_a, suite_name_of(rb), a);
  } else {
    ra = load(a.a, a.answers_a, "", a);
    rb = load(a.b, a.answers_b, b_tag ? suite_name_of(ra) : "", a);
  }
  StageProgress progress(std::cerr, parse_progress_mode(a.progress));
  CompareOptions options = a.options;
  options.progress = &progress;
  ComparisonReport report =
      a.no_rescore ? compare_recorded(ra, rb) : compare_runs(std::move(ra), std::move(rb), options);
  progress.finish();
  if (!report.differences.empty() && !a.force && !a.gate.fail_if_changed) {
    std::string msg = "refusing to compare " + report.label_a + " with " + report.label_b + ", they were not scored alike:";
    for (const auto& d : report.differences) msg += "\n  " + d;
    throw Error(msg + "\npass --force to compare them anyway");
  }
  GateOutcome gate = evaluate_gate(report, a.gate);
  if (!report.differences.empty() && a.force)
    std::cerr << "warning: --force: comparing runs that differ (" << report.differences.size() << " differences, listed below)\n";
  if (!a.out.empty()) write_file_atomically(a.out, compare_json(report, gate).dump(2) + "\n");
  if (a.format == "json") std::cout << compare_json(report, gate).dump(2) << "\n";
  else if (a.format == "md") std::cout << render_compare_markdown(report, gate);
  else std::cout << render_compare_table(report, gate);
  return gate.failed ? static_cast<int>(ExitCode::kRegression) : 0;
}

}  // namespace

std::function<int()> setup_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand("compare", "Compare two runs: per-task deltas with paired bootstrap CIs, p-values, McNemar");
  cmd->add_option("A", args->a, "Baseline: run folder, results file, leaderboard run id, or tag:NAME")->required();
  cmd->add_option("B", args->b, "Candidate, same forms as A")->required();
  cmd->add_option("--db", args->db, "Leaderboard database for run ids and tags")->envname("IMAXBENCH_DB")->capture_default_str();
  cmd->add_option("--suite", args->suite, "Re-score both runs against this suite file (default: the one each run used)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--answers-a", args->answers_a, "A's answers (journal or predictions), when not found beside its results")
      ->check(CLI::ExistingFile);
  cmd->add_option("--answers-b", args->answers_b, "B's answers, likewise")->check(CLI::ExistingFile);
  cmd->add_option("--bootstrap", args->options.bootstrap.resamples, "Paired bootstrap resamples")->capture_default_str();
  cmd->add_option("--seed", args->options.bootstrap.seed, "Bootstrap seed")->capture_default_str();
  cmd->add_flag("--no-cluster{false}", args->options.bootstrap.cluster_by_image,
                "Resample single samples instead of whole images (image_id)");
  cmd->add_option("--alpha", args->options.alpha, "Significance level: significant when p < alpha")->capture_default_str();
  cmd->add_flag("--force", args->force, "Compare even when split hashes or metric signatures differ (says what differs)");
  cmd->add_option("--fail-if-worse", args->gate.fail_if_worse,
                  "Exit 3 when B is significantly worse than A by more than DELTA points (x100) on the average or a --gate-tasks task");
  cmd->add_option("--gate-tasks", args->gate_tasks, "Tasks whose primary metric is gated too (comma-separated or repeated)");
  cmd->add_flag("--no-rescore", args->no_rescore, "Compare only the numbers the two results files recorded (no answers needed)");
  cmd->add_option("--fail-if-changed", args->gate.fail_if_changed,
                  "Exit 3 when any metric moved by more than TOL or any signature/split differs (metric-drift checks)");
  cmd->add_option("--format", args->format, "table, md or json")->check(CLI::IsMember({"table", "md", "json"}))->capture_default_str();
  cmd->add_option("--out", args->out, "Also write the JSON report here");
  add_progress_option(*cmd, args->progress, "the comparison");
  cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores); results do not depend on it")
      ->envname("IMAXBENCH_THREADS")->check(CLI::NonNegativeNumber);
  cmd->footer(
      "B-A is per task and metric in the metric's units, and for the average of primary metrics in points\n"
      "(x100). Both runs are re-scored and resampled on the same samples (whole images at a time).\n"
      "p is sacrebleu's paired bootstrap p-value: (1 + #{|d_i| - mean|d| > |D|}) / (1 + resamples).\n"
      "Exit status: 0 compared, 1 bad input or incomparable runs (without --force), 2 usage, 3 gate failed.");
  return [args] { return run_compare(*args); };
}

}  // namespace imaxbench
