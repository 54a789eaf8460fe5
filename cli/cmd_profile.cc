// `imaxbench profile`: a suite through a backend under a LoadGen scenario (offline, single-stream,
// server), reporting throughput, latency/TTFT/TPOT percentiles, per-stage time, the harness's own
// share, memory, whether the percentiles are stable, and the accuracy of the same pass. Writes
// DIR/profile.json and DIR/manifest.json with --out; --format json prints the document instead of
// the table.
#include <tbb/parallel_for.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "backends/device.h"
#include "harness/answer_conventions.h"
#include "harness/backend_registry.h"
#include "cli/cli_options.h"
#include "cli/commands.h"
#include "harness/profile_report.h"
#include "harness/profile_scenarios.h"
#include "results/result_sink.h"
#include "harness/run_manifest.h"
#include "harness/launch_env.h"
#include "harness/shard.h"
#include "core/error.h"
#include "tasks/reasoning_answer.h"
#include "tasks/task.h"

namespace imaxbench {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;


struct ProfileArgs {
  CommonOptions common;
  BackendOptions backend;
  std::string backend_name, scenario = "offline", out, format = "table", shard = "1/1";
  int batch_size = 0;  // 0: the scenario's default
  int concurrency = 4;
  double target_qps = 0, min_duration = 10;
  std::size_t warmup = 2, min_queries = 100, limit = 0;
  bool no_image_reuse = false;
  std::uint64_t seed = 1;
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Scores the pass: parse pass timed alone, then compute_task (parse + metric statistics), so the
// metric statistics' time is the difference. Returns the tasks; `stats_s` and `wall_s` are set.
std::vector<TaskResult> score_pass(const LoadedSuite& loaded, const AnswerSet& answers, double& stats_s,
                                   double& wall_s, std::size_t& samples) {
  const auto start = Clock::now();
  std::vector<TaskResult> tasks;
  stats_s = 0;
  samples = 0;
  for (std::size_t t = 0; t < loaded.suite.tasks.size(); ++t) {
    const SuiteTask& st = loaded.suite.tasks[t];
    const SplitData& split = loaded.splits[t];
    const Task& task = *find_task(st.task);
    const auto p0 = Clock::now();
    tbb::parallel_for(std::size_t(0), split.samples.size(), [&](std::size_t i) {
      auto it = answers.by_id.find(split.samples[i].id);
      if (it != answers.by_id.end() && it->second.error.empty())
        [[maybe_unused]] Prediction p = read_answer(task, split.samples[i], it->second.text, st.options);
    });
    const double parse_s = seconds_since(p0);
    const auto c0 = Clock::now();
    TaskEvaluation eval = compute_task(st, split, &answers);
    stats_s += std::max(0.0, seconds_since(c0) - parse_s);
    samples += split.samples.size();
    tasks.push_back(summarize_task(eval, split, BootstrapOptions{.resamples = 0}));
  }
  wall_s = seconds_since(start);
  return tasks;
}

ScenarioOptions scenario_options(const ProfileArgs& a) {
  ScenarioOptions o;
  o.scenario = parse_scenario(a.scenario);
  if (a.batch_size < 0) throw UsageError("--batch-size must be >= 1");
  if (o.scenario == Scenario::kSingleStream && a.batch_size > 1)
    throw UsageError("--scenario single-stream sends one request at a time; leave out --batch-size");
  o.batch_size = static_cast<std::size_t>(a.batch_size ? a.batch_size : o.scenario == Scenario::kOffline ? 8 : 1);
  if (a.concurrency < 1) throw UsageError("--concurrency must be >= 1");
  o.concurrency = static_cast<std::size_t>(a.concurrency);
  if (o.scenario == Scenario::kServer && !(a.target_qps > 0))
    throw UsageError("--scenario server needs --target-qps Q > 0 (the Poisson arrival rate)");
  if (o.scenario != Scenario::kServer && a.target_qps != 0)
    throw UsageError("--target-qps applies to --scenario server only");
  o.target_qps = a.target_qps;
  if (!(a.min_duration >= 0)) throw UsageError("--min-duration must be >= 0 seconds");
  o.min_duration_s = a.min_duration;
  o.min_queries = a.min_queries;
  o.warmup_queries = a.warmup;
  o.seed = a.seed;
  o.image_reuse = !a.no_image_reuse;
  return o;
}

int run_profile(ProfileArgs a) {
  auto threads = limit_threads(a.common.threads);
  if (a.format != "table" && a.format != "json") throw UsageError("--format must be table or json");
  const ScenarioOptions options = scenario_options(a);
  const LaunchPlace place = resolve_launch_place(a.shard, a.backend.device, &std::cerr);
  const ShardSpec shard = place.shard;
  parse_device(a.backend.device);
  a.backend.batch_size = static_cast<int>(options.batch_size);
  a.backend.concurrency = a.concurrency;
  a.backend.reuse_image_features = !a.no_image_reuse;

  LoadedSuite loaded = load_suite_splits(a.common.suite, a.common.tasks, a.common.split);
  select_samples(loaded, a.limit, shard);
  std::unique_ptr<Backend> backend = make_backend(a.backend_name, a.backend);
  apply_model_conventions(loaded.suite, backend->model_conventions());
  RunSettings settings{a.backend_name, a.backend, a.common.tasks, a.limit, shard, a.common.split,
                       BootstrapOptions{.resamples = 0}, a.common.threads, 1.0, false, place.shard_source,
                       place.device_source};
  nlohmann::json manifest = make_manifest(loaded, *backend, settings);

  std::vector<WorkItem> items = make_work_items(loaded, {});
  if (!a.no_image_reuse) group_by_image(items);
  std::cerr << "profile: " << scenario_name(options.scenario) << ", at least " << options.min_duration_s << " s, "
            << options.min_queries << " requests and one pass over the " << items.size() << " samples...\n";
  const ScenarioRun run = run_scenario(*backend, items, options);
  ProfileSummary summary = summarize_profile(run, options);
  summary.peak_device_memory_bytes = backend->peak_device_memory_bytes();

  AnswerSet answers;
  answers.path = "(profile pass)";
  for (std::size_t i = 0; i < items.size(); ++i)
    if (run.answers[i]) answers.by_id.emplace(items[i].sample->id, *run.answers[i]);
  double stats_s = 0, scoring_s = 0;
  std::size_t scored_samples = 0;
  std::vector<TaskResult> tasks = score_pass(loaded, answers, stats_s, scoring_s, scored_samples);
  add_metric_statistics(summary, stats_s, scored_samples, scoring_s);
  SuiteSummary suite = summarize_suite(tasks);

  nlohmann::json config = manifest["settings"];
  config["command"] = "profile";
  config["model"] = a.backend.model;
  const nlohmann::json context =
      base_context(loaded.suite.name, loaded.suite.sha256, backend->name(), backend->device(), config);
  const nlohmann::json results = results_json(context, tasks, suite);
  const nlohmann::json profile = profile_json(summary);
  manifest["profile_scenario"] = profile["scenario"];  // what the timings in profile.json were taken under
  nlohmann::json doc = {{"schema_version", kProfileSchemaVersion}, {"context", context}, {"manifest", manifest}};
  doc.update(profile);
  doc["accuracy"] = {{"tasks", results["tasks"]}, {"suite", results["suite"]}};

  if (!a.out.empty()) {
    std::error_code ec;
    fs::create_directories(a.out, ec);
    if (ec) throw Error(a.out + ": cannot create the output folder: " + ec.message());
    write_file_atomically((fs::path(a.out) / "manifest.json").string(), manifest.dump(2) + "\n");
    write_file_atomically((fs::path(a.out) / "profile.json").string(), doc.dump(2) + "\n");
  }
  if (a.format == "json") {
    std::cout << doc.dump(2) << "\n";
  } else {
    print_profile_table(summary, std::cout);
    std::cout << "\naccuracy of the same pass (first answer per sample):\n";
    std::vector<std::unique_ptr<ResultSink>> sinks;
    sinks.push_back(make_console_sink(std::cout));
    report_to_sinks(sinks, context, tasks, suite, results);
    if (!a.out.empty()) std::cout << "\nprofile in " << (fs::path(a.out) / "profile.json").string() << "\n";
  }
  if (!summary.stability.stable) std::cerr << "profile: " << summary.stability.message << "\n";
  if (summary.failed)
    std::cerr << "profile: " << summary.failed << " of " << summary.requests
              << " timed requests failed; first: " << summary.first_error << "\n";
  return 0;
}

}  // namespace

std::function<int()> setup_profile_command(CLI::App& app) {
  auto a = std::make_shared<ProfileArgs>();
  auto* cmd = app.add_subcommand("profile", "Throughput and latency of a backend under a LoadGen scenario, "
                                            "with the accuracy of the same pass");
  add_common_options(*cmd, a->common, false);
  cmd->add_option("--backend", a->backend_name, "Backend (imaxbench list backends)")->required();
  cmd->add_option("--model", a->backend.model, "Model path or name (baseline: gallery suite.json)");
  cmd->add_option("--device", a->backend.device,
                  "cpu, cuda:N or hip:N; cuda:auto / hip:auto: the launcher's local rank (LOCAL_RANK, "
                  "OMPI_COMM_WORLD_LOCAL_RANK, SLURM_LOCALID; docs/cluster.md)")->capture_default_str();
  cmd->add_option("--scenario", a->scenario, "offline (throughput), single-stream (latency), server "
                                             "(Poisson arrivals at --target-qps)")->capture_default_str();
  cmd->add_option("--batch-size", a->batch_size, "offline: requests per infer() call (default 8); server: most "
                                                 "arrived requests per call (default 1)");
  cmd->add_option("--concurrency", a->concurrency, "server: infer() calls in flight when the backend allows it; "
                                                   "also the openai backend's parallel requests")->capture_default_str();
  cmd->add_option("--target-qps", a->target_qps, "server: mean arrival rate, queries per second");
  cmd->add_option("--warmup", a->warmup, "Warm-up queries before timing (not counted)")->capture_default_str();
  cmd->add_option("--min-duration", a->min_duration, "Timed run lasts at least this many seconds")
      ->capture_default_str();
  cmd->add_option("--min-queries", a->min_queries, "... and at least this many requests (and one pass over "
                                                   "every sample; samples are cycled)")->capture_default_str();
  cmd->add_option("--seed", a->seed, "server: seed of the arrival schedule")->capture_default_str();
  cmd->add_option("--out", a->out, "Folder for profile.json and manifest.json");
  cmd->add_option("--format", a->format, "table or json (JSON to stdout)")->capture_default_str();
  cmd->add_option("--limit", a->limit, "Only the first N samples of each task (0 = all)");
  cmd->add_flag("--no-image-reuse", a->no_image_reuse,
                "Decode (and, torchscript, encode with the vision tower and prefill the prompt's image "
                "prefix) every request's image afresh instead of once per image (a per-sample measurement)");
  cmd->add_option("--shard", a->shard, "Profile shard K of N (histograms in profile.json merge exactly); auto: from the launcher's "
                  "environment (docs/cluster.md)")
      ->capture_default_str();
  add_backend_options(*cmd, a->backend);
  cmd->footer("Latency is from issue (server: the scheduled arrival) to the answer. Exit status: 0 done "
              "(failed requests are reported, not fatal), 1 failure, 2 usage.");
  return [a] { return run_profile(*a); };
}

}  // namespace imaxbench
