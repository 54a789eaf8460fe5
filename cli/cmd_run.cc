// `imaxbench run`: a suite through a backend. Writes DIR/manifest.json (before the first sample),
// DIR/samples.jsonl (the journal, appended per batch), DIR/results.json, prints the table and
// records the run in the leaderboard store. --resume continues a killed run from its journal.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "backends/device.h"
#include "harness/answer_conventions.h"
#include "harness/backend_registry.h"
#include "harness/launch_env.h"
#include "cli/cli_options.h"
#include "cli/commands.h"
#include "results/result_sink.h"
#include "harness/run_dir_lock.h"
#include "harness/run_manifest.h"
#include "harness/run_pipeline.h"
#include "core/sha256.h"
#include "results/leaderboard_sink.h"
#include "core/error.h"

namespace imaxbench {

namespace {

namespace fs = std::filesystem;

struct RunArgs {
  CommonOptions common;
  BackendOptions backend;
  std::string backend_name, out, shard = "1/1", progress = "auto";
  RecordOptions record;
  std::size_t limit = 0;
  double max_fail_rate = 0.1;
  bool resume = false, fsync = false, quiet = false, no_image_reuse = false;
};

// Opens the run folder: a fresh one gets the manifest; --resume checks it matches and recovers
// the journal. Returns what is already answered.
JournalState open_run_dir(const RunArgs& a, const nlohmann::json& manifest) {
  const fs::path dir(a.out);
  const std::string manifest_path = (dir / "manifest.json").string();
  const std::string journal_path = (dir / "samples.jsonl").string();
  std::error_code ec;
  const bool has_manifest = fs::exists(manifest_path, ec), has_journal = fs::exists(journal_path, ec);
  if ((has_manifest || has_journal) && !a.resume)
    throw UsageError(a.out + " already holds a run (manifest.json, samples.jsonl); pass --resume to "
                     "continue it, or choose another --out");
  if (has_journal && !has_manifest)
    throw Error(journal_path + " has no manifest.json beside it, so it cannot be checked for --resume; "
                "score it with `imaxbench score --journal` or start in a new --out");
  if (!has_manifest) {
    fs::create_directories(dir, ec);
    if (ec) throw Error(a.out + ": cannot create the output folder: " + ec.message());
    write_file_atomically(manifest_path, manifest.dump(2) + "\n");
    return {};
  }
  auto diffs = manifest_differences(read_manifest(manifest_path), manifest);
  if (!diffs.empty()) {
    std::string msg = manifest_path + ": --resume needs the same run, but these differ (recorded vs now):";
    for (const auto& d : diffs) msg += "\n  " + d;
    throw Error(msg + "\nresume with the recorded settings, or start in a new --out");
  }
  JournalState state = recover_journal(journal_path);
  if (!state.note.empty()) std::cerr << "note: " << state.note << "\n";
  if (!a.quiet) std::cerr << "resuming: " << state.lines << " samples already answered in " << journal_path << "\n";
  return state;
}

// The leaderboard sink for this run (its journal is the answers compare reads back).
std::unique_ptr<ResultSink> leaderboard_sink(const RunArgs& a) {
  LeaderboardSinkOptions o = leaderboard_options(a.record, a.quiet);
  if (o.info.model_name.empty()) o.info.model_name = default_model_name(a.backend_name, a.backend.model);
  o.info.manifest_sha256 = sha256_file((fs::path(a.out) / "manifest.json").string());
  o.info.suite_path = a.common.suite;
  o.info.answers_path = (fs::path(a.out) / "samples.jsonl").string();
  o.info.run_dir = a.out;
  return make_leaderboard_sink(std::move(o));
}

int run_run(RunArgs a) {
  auto threads = limit_threads(a.common.threads);
  const LaunchPlace place = resolve_launch_place(a.shard, a.backend.device, a.quiet ? nullptr : &std::cerr);
  const ShardSpec shard = place.shard;
  parse_device(a.backend.device);  // a usage error before anything slow
  const ProgressMode progress_mode = a.quiet ? ProgressMode::kOff : parse_progress_mode(a.progress);
  if (a.backend.batch_size < 1) throw UsageError("--batch-size must be >= 1");
  if (!(a.max_fail_rate >= 0 && a.max_fail_rate <= 1)) throw UsageError("--max-fail-rate must lie in [0, 1]");

  LoadedSuite loaded = load_suite_splits(a.common.suite, a.common.tasks, a.common.split);
  select_samples(loaded, a.limit, shard);
  a.backend.reuse_image_features = !a.no_image_reuse;
  std::unique_ptr<Backend> backend = make_backend(a.backend_name, a.backend);
  apply_model_conventions(loaded.suite, backend->model_conventions());

  RunSettings settings{a.backend_name, a.backend, a.common.tasks, a.limit, shard, a.common.split,
                       a.common.bootstrap, a.common.threads, a.max_fail_rate, a.fsync, place.shard_source,
                       place.device_source};
  const nlohmann::json manifest = make_manifest(loaded, *backend, settings);
  const RunDirLock lock(a.out, std::cerr);  // held until the results are written and recorded
  JournalState state = open_run_dir(a, manifest);

  const std::string journal_path = (fs::path(a.out) / "samples.jsonl").string();
  std::vector<WorkItem> items = make_work_items(loaded, state.answered);
  if (!a.no_image_reuse) group_by_image(items);  // --no-image-reuse: suite order, a decode per sample
  std::size_t total = 0;
  for (const auto& s : loaded.splits) total += s.samples.size();
  PipelineOptions popts;
  popts.batch_size = static_cast<std::size_t>(a.backend.batch_size);
  popts.max_fail_rate = a.max_fail_rate;
  popts.total_samples = total;
  popts.already_failed = state.failed;
  popts.image_reuse = !a.no_image_reuse;
  Progress progress(total, total - items.size(), std::cerr, progress_mode);
  PipelineStats st;
  {
    JournalWriter journal(journal_path, a.fsync);
    st = run_pipeline(*backend, items, journal, popts, &progress);
  }
  progress.finish();
  if (st.stopped)
    throw Error(std::to_string(state.failed + st.failed) + " of " + std::to_string(total) +
                " samples failed, past --max-fail-rate " + std::to_string(a.max_fail_rate) +
                "; stopped. First failure: " + st.first_error + ". Every answer so far is in " + journal_path +
                "; fix the cause and rerun with --resume (failed samples stay failed; raise --max-fail-rate to go on)");

  AnswerSet answers = read_answers(journal_path, false);
  SampleLog log((fs::path(a.out) / "scored.jsonl").string());
  ScoredSuite scored = score_answers(loaded, &answers, a.common.bootstrap, &log);
  log.finish();
  report_answer_problems(answers, scored.unknown_ids, std::cerr);
  nlohmann::json config = manifest["settings"];
  config["command"] = "run";
  config["model"] = a.backend.model;
  config["model_sha256"] = manifest["backend"]["model_sha256"];
  nlohmann::json context = base_context(loaded.suite.name, loaded.suite.sha256, backend->name(), backend->device(), config);
  context["timing"] = {{"samples_run", st.done},     {"failed", st.failed},
                       {"threads", a.common.threads}, {"pipeline_wall_s", st.wall_s},
                       {"infer_s", st.infer_s},       {"image_decode_s", st.decode_s},
                       {"preprocess_s", st.preprocess_s}, {"journal_s", st.journal_s},
                       {"images_decoded", st.images_prepared}, {"image_reuses", st.image_reuses}};
  add_harness_overhead(context["timing"], st);
  if (const auto r = backend->reuse()) {  // what the backend did not repeat (profile prints the same)
    context["timing"]["images_encoded"] = r->images_encoded;
    context["timing"]["image_encodes_reused"] = r->image_encodes_reused;
    context["timing"]["prompt_tokens"] = r->prompt_tokens;
    context["timing"]["prefix_tokens_reused"] = r->prefix_tokens_reused;
  }
  std::vector<std::unique_ptr<ResultSink>> sinks;
  if (!a.quiet) sinks.push_back(make_console_sink(std::cout));
  const std::string results_path = (fs::path(a.out) / "results.json").string();
  sinks.push_back(make_json_file_sink(results_path));
  if (!a.record.no_record) sinks.push_back(leaderboard_sink(a));
  report_to_sinks(sinks, context, scored.tasks, summarize_scored(scored));
  if (!a.quiet)
    std::cout << "\n" << st.done << " samples run (" << st.failed << " failed) in " << st.wall_s << " s; "
              << "results in " << results_path << "\n";
  return 0;
}

}  // namespace

std::function<int()> setup_run_command(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a suite through a backend: journal, results, leaderboard row");
  add_common_options(*cmd, a->common, true);
  cmd->add_option("--backend", a->backend_name,
                 "Backend (imaxbench list backends). torchscript runs a model package; models/convert_hf.py "
                 "makes one from a Hugging Face checkpoint: LlavaForConditionalGeneration (Llama, Mistral or "
                 "Qwen2 text model), the original LLaVA / LLaVA-Med v1.5 layout, Qwen2VLForConditionalGeneration "
                 "(docs/model-package.md)")->required();
  cmd->add_option("--model", a->backend.model, "Model path (replay: answers file; baseline: gallery suite.json; openai: served model name)");
  cmd->add_option("--device", a->backend.device,
                  "cpu, cuda:N or hip:N; cuda:auto / hip:auto: the launcher's local rank (LOCAL_RANK, "
                  "OMPI_COMM_WORLD_LOCAL_RANK, SLURM_LOCALID; docs/cluster.md)")->capture_default_str();
  cmd->add_option("--out", a->out, "Run folder: manifest.json, samples.jsonl, scored.jsonl (each sample as scored), results.json")->required();
  cmd->add_option("--batch-size", a->backend.batch_size, "Requests per backend call")->capture_default_str();
  cmd->add_flag("--resume", a->resume, "Continue the run in --out: skip ids already journaled");
  cmd->add_option("--shard", a->shard, "Run shard K of N (by id hash; `imaxbench merge` joins them); auto: from Slurm, MPI, torchrun or a "
                  "Kubernetes Indexed Job's environment (docs/cluster.md)")
      ->capture_default_str();
  cmd->add_option("--max-fail-rate", a->max_fail_rate,
                  "Stop (exit 1) once failed samples exceed this fraction of the run")->capture_default_str();
  cmd->add_option("--limit", a->limit, "Only the first N samples of each task (0 = all)");
  cmd->add_option("--progress", a->progress, "auto (bar on a terminal, lines otherwise), bar, lines, off")
      ->capture_default_str();
  cmd->add_flag("--no-image-reuse", a->no_image_reuse,
                "Decode (and, torchscript, encode with the vision tower and prefill the prompt's image "
                "prefix) every sample's image afresh instead of once per image; the answers are the same, "
                "this measures the per-sample cost");
  cmd->add_flag("--fsync", a->fsync, "fsync the journal after every batch (survives power loss, slower)");
  cmd->add_flag("--quiet", a->quiet, "No table, no progress");
  add_record_options(*cmd, a->record, "--name", "Leaderboard name of the model (default: backend:model file name)");
  add_backend_options(*cmd, a->backend);
  cmd->add_option("--concurrency", a->backend.concurrency,
                  "openai: requests in flight at once (--batch-size defaults to 4x this)")
      ->capture_default_str()->group("OpenAI-compatible server");
  cmd->add_option("--delay-ms", a->backend.delay_ms, "replay: sleep per batch (to test kill and --resume)")
      ->group("Testing");
  cmd->footer("Exit status: 0 done, 1 failure (bad input, or past --max-fail-rate; the journal keeps "
              "everything done), 2 usage.");
  return [a, cmd] {
    // openai: a batch runs `concurrency` requests at a time; a few per connection keeps
    // connections busy while a batch's slowest answer finishes.
    if (a->backend_name == "openai" && cmd->count("--batch-size") == 0)
      a->backend.batch_size = 4 * std::max(1, a->backend.concurrency);
    return run_run(*a);
  };
}

}  // namespace imaxbench
