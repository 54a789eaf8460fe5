// `imaxbench merge DIR1 DIR2 ... --out DIR`: joins the folders of a sharded run (--shard K/N) into
// one, with results identical to an unsharded run's, and records it on the leaderboard as `run`
// would have (--name, --tag, --db, --no-record). Refuses folders from different suites, models or
// settings, and an incomplete set of shards; the shards' devices may differ by index (one process
// per GPU).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "harness/answer_conventions.h"
#include "cli/cli_options.h"
#include "cli/commands.h"
#include "core/json_document.h"
#include "core/sha256.h"
#include "harness/journal.h"
#include "harness/profile_merge.h"
#include "core/regular_file.h"
#include "harness/run_dir_lock.h"
#include "results/result_sink.h"
#include "harness/run_manifest.h"
#include "harness/score_suite.h"
#include "harness/shard.h"
#include "core/error.h"
#include "core/excerpt.h"

namespace imaxbench {

namespace {

namespace fs = std::filesystem;

struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out;
  bool quiet = false;
  RecordOptions record;
};

// The device a shard ran on may differ by index (one process per GPU: cuda:0, cuda:1, ...), never
// by kind.
std::string device_kind(const std::string& device) { return device.substr(0, device.find(':')); }

int merge_locked(const MergeArgs& a, const std::vector<nlohmann::json>& manifests);
int merge_profiles_locked(const MergeArgs& a, const std::vector<nlohmann::json>& manifests);

// The shards' devices, each once in the order given: "cuda:0" or "cuda:0,cuda:1,...".
std::string merged_devices(const std::vector<nlohmann::json>& manifests) {
  std::vector<std::string> seen;
  std::string devices;
  for (const auto& shard : manifests) {
    const std::string d = shard["backend"]["device"].get<std::string>();
    if (std::find(seen.begin(), seen.end(), d) != seen.end()) continue;
    seen.push_back(d);
    devices += (devices.empty() ? "" : ",") + d;
  }
  return devices;
}

// The merged folder's manifest: the first shard's, as one unsharded run on the shards' devices.
nlohmann::json merged_manifest(const MergeArgs& a, const std::vector<nlohmann::json>& manifests) {
  nlohmann::json merged = manifests.front();
  merged["settings"]["shard"] = "1/1";
  merged["backend"]["device"] = merged_devices(manifests);
  merged["runtime"]["shard_source"] = "merge of " + std::to_string(manifests.size()) + " shards";
  merged["merged_from"] = a.dirs;
  return merged;
}

bool is_profile(const std::string& dir) {
  std::error_code ec;
  return fs::exists(fs::path(dir) / "profile.json", ec) && !fs::exists(fs::path(dir) / "samples.jsonl", ec);
}

// Every folder's manifest must match the first's (shard aside) and the shards must be 1..N once each.
std::vector<nlohmann::json> check_manifests(const MergeArgs& a) {
  std::vector<nlohmann::json> manifests;
  std::set<int> seen;
  int n = 0;
  for (const auto& dir : a.dirs) {
    manifests.push_back(read_manifest((fs::path(dir) / "manifest.json").string()));
    const auto& m = manifests.back();
    auto diffs = manifest_differences(manifests.front(), m, {"settings.shard", "backend.device"});
    const std::string d0 = manifests.front()["backend"]["device"].get<std::string>(),
                      d = m["backend"]["device"].get<std::string>();
    if (device_kind(d0) != device_kind(d)) diffs.push_back("backend.device: " + d0 + " vs " + d);
    if (!diffs.empty()) {
      std::string msg = "merge: " + dir + " is not a shard of the same run as " + a.dirs.front() + ":";
      for (const auto& d : diffs) msg += "\n  " + d;
      throw Error(msg);
    }
    ShardSpec s = parse_shard(m["settings"]["shard"].get<std::string>());
    if (n == 0) n = s.n;
    if (s.n != n)
      throw Error("merge: " + dir + " is shard " + s.str() + " but " + a.dirs.front() + " has N = " + std::to_string(n));
    if (!seen.insert(s.k).second) throw Error("merge: shard " + s.str() + " given twice (" + dir + ")");
  }
  for (int k = 1; k <= n; ++k)
    if (!seen.count(k))
      throw Error("merge: shard " + std::to_string(k) + "/" + std::to_string(n) +
                  " is missing; give every shard's folder");
  return manifests;
}

int run_merge(const MergeArgs& a) {
  try {
    const auto manifests = check_manifests(a);
    // No shard may still be writing its journal, and no other process may write the output.
    std::vector<std::unique_ptr<RunDirLock>> locks;
    for (const auto& dir : a.dirs) {
      if (fs::weakly_canonical(dir) == fs::weakly_canonical(a.out))
        throw UsageError("merge: --out " + a.out + " is one of the shard folders; choose a new folder");
      locks.push_back(std::make_unique<RunDirLock>(dir, std::cerr));
    }
    locks.push_back(std::make_unique<RunDirLock>(a.out, std::cerr));
    const bool profiles = is_profile(a.dirs.front());
    for (const auto& dir : a.dirs)
      if (is_profile(dir) != profiles)
        throw Error("merge: " + dir + (profiles ? " is not a profile folder (profile.json) like " : " is a profile folder, unlike ") +
                    a.dirs.front() + "; merge runs with runs and profiles with profiles");
    return profiles ? merge_profiles_locked(a, manifests) : merge_locked(a, manifests);
  } catch (const nlohmann::json::exception& e) {
    // The manifests passed their schema_version check but a field has the wrong type: edited.
    throw Error("merge: a shard's manifest.json has a field of an unexpected type (" +
                excerpt(e.what(), 200) + "); was it edited?");
  }
}

int merge_locked(const MergeArgs& a, const std::vector<nlohmann::json>& manifests) {
  const nlohmann::json& m = manifests.front();
  const auto& settings = m["settings"];
  const std::string suite_path = m["suite_path"].get<std::string>();
  SplitOptions split;
  split.strict = settings["strict"].get<bool>();
  split.allow_external_images = settings["allow_external_images"].get<bool>();
  LoadedSuite loaded = load_suite_splits(suite_path, settings["tasks"].get<std::string>(), split);
  if (loaded.suite.sha256 != m["suite"]["sha256"])
    throw Error("merge: " + suite_path + " changed since the shards ran (sha256 " + loaded.suite.sha256 +
                ", the runs had " + m["suite"]["sha256"].get<std::string>() + ")");
  for (std::size_t i = 0; i < loaded.suite.tasks.size(); ++i)
    if (loaded.splits[i].sha256 != m["suite"]["splits"][loaded.suite.tasks[i].task]["sha256"])
      throw Error("merge: split " + loaded.splits[i].path + " changed since the shards ran");
  select_samples(loaded, settings["limit"].get<std::size_t>(), ShardSpec{});
  apply_recorded_conventions(loaded.suite, settings);

  // One journal: the shards' lines in the order given; an id in two shards is a broken set.
  AnswerSet answers;
  std::string journal;
  for (const auto& dir : a.dirs) {
    const std::string path = (fs::path(dir) / "samples.jsonl").string();
    AnswerSet part = read_answers(path, true);
    for (auto& [id, ans] : part.by_id)
      if (!answers.by_id.emplace(id, std::move(ans)).second)
        throw Error("merge: id '" + excerpt(id) + "' is answered in more than one shard (" + path + ")");
    journal += journal_for_merge(read_regular_file(path, "shard journal"));
  }
  answers.path = "merged journal";

  BootstrapOptions bootstrap;
  bootstrap.resamples = settings["bootstrap"].get<int>();
  bootstrap.seed = settings["seed"].get<std::uint64_t>();
  bootstrap.cluster_by_image = settings["cluster_by_image"].get<bool>();
  std::error_code ec;
  fs::create_directories(a.out, ec);
  SampleLog log((fs::path(a.out) / "scored.jsonl").string());
  ScoredSuite scored = score_answers(loaded, &answers, bootstrap, &log);
  log.finish();
  report_answer_problems(answers, scored.unknown_ids, std::cerr);

  const nlohmann::json merged = merged_manifest(a, manifests);
  const std::string devices = merged["backend"]["device"].get<std::string>();
  write_file_atomically((fs::path(a.out) / "manifest.json").string(), merged.dump(2) + "\n");
  write_file_atomically((fs::path(a.out) / "samples.jsonl").string(), journal);

  nlohmann::json config = merged["settings"];
  config["command"] = "merge";
  config["model"] = m["backend"]["model"];
  config["model_sha256"] = m["backend"]["model_sha256"];
  config["merged_from"] = a.dirs;
  nlohmann::json context = base_context(loaded.suite.name, loaded.suite.sha256, m["backend"]["name"], devices, config);
  std::vector<std::unique_ptr<ResultSink>> sinks;
  if (!a.quiet) sinks.push_back(make_console_sink(std::cout));
  sinks.push_back(make_json_file_sink((fs::path(a.out) / "results.json").string()));
  if (!a.record.no_record) {
    // Recorded as `run` records: the shards' backend, device and model, the merged journal.
    LeaderboardSinkOptions o = leaderboard_options(a.record, a.quiet);
    if (o.info.model_name.empty())
      o.info.model_name = default_model_name(m["backend"]["name"], m["backend"]["model"]);
    o.info.manifest_sha256 = sha256_file((fs::path(a.out) / "manifest.json").string());
    o.info.suite_path = suite_path;
    o.info.answers_path = (fs::path(a.out) / "samples.jsonl").string();
    o.info.run_dir = a.out;
    sinks.push_back(make_leaderboard_sink(std::move(o)));
  }
  SuiteSummary summary = summarize_scored(scored);
  report_to_sinks(sinks, context, scored.tasks, summary);
  std::size_t missing = 0;
  for (const auto& t : scored.tasks) missing += t.counts.missing;
  if (missing > 0)
    std::cerr << "warning: " << missing << " samples have no answer in any shard (a shard stopped early?)\n";
  return 0;
}

// Sharded `profile --out` folders: one profile.json of the whole selection (harness/profile_merge.h).
int merge_profiles_locked(const MergeArgs& a, const std::vector<nlohmann::json>& manifests) {
  std::vector<ProfileSummary> shards;
  nlohmann::json context;
  for (const auto& dir : a.dirs) {
    const std::string path = (fs::path(dir) / "profile.json").string();
    const nlohmann::json doc = read_json_document(path, "the profile");
    if (doc.value("schema_version", 0) != kProfileSchemaVersion)
      throw Error(path + ": profile schema_version " + doc.value("schema_version", nlohmann::json()).dump() +
                  ", this build reads " + std::to_string(kProfileSchemaVersion));
    if (context.is_null()) context = doc.at("context");
    shards.push_back(profile_summary_from_json(doc, path));
  }
  const ProfileSummary summary = merge_profile_summaries(shards, a.dirs);
  nlohmann::json manifest = merged_manifest(a, manifests);
  const nlohmann::json profile = profile_json(summary);
  manifest["profile_scenario"] = profile["scenario"];
  context["device"] = manifest["backend"]["device"];
  context["config"]["shard"] = "1/1";
  nlohmann::json doc = {{"schema_version", kProfileSchemaVersion}, {"context", context}, {"manifest", manifest}};
  doc.update(profile);
  doc["accuracy"] = nullptr;
  doc["accuracy_note"] = "not merged: a profile keeps no answers; merge the shards of a `run` for the accuracy of the "
                         "whole selection (each shard's profile.json has its own)";
  doc["merged_from"] = a.dirs;
  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) throw Error(a.out + ": cannot create the output folder: " + ec.message());
  write_file_atomically((fs::path(a.out) / "manifest.json").string(), manifest.dump(2) + "\n");
  write_file_atomically((fs::path(a.out) / "profile.json").string(), doc.dump(2) + "\n");
  if (!a.quiet) {
    std::cout << "merged profile of " << a.dirs.size() << " shards (side by side: counts and throughput add, "
              << "histograms merge exactly, wall time is the longest)\n";
    print_profile_table(summary, std::cout);
    std::cout << "\nprofile in " << (fs::path(a.out) / "profile.json").string() << "\n";
  }
  if (!summary.stability.stable) std::cerr << "merge: " << summary.stability.message << "\n";
  return 0;
}

}  // namespace

std::function<int()> setup_merge_command(CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "Join the folders of a sharded run into one (results as if unsharded), "
                                          "or of a sharded profile (histograms merged exactly)");
  cmd->add_option("dirs", a->dirs, "The shards' folders (--out of each `run --shard K/N`, or of each `profile --shard "
                                   "K/N --out`)")
      ->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--out", a->out, "Merged folder: manifest.json, samples.jsonl, scored.jsonl, results.json (runs); manifest.json, "
                 "profile.json (profiles)")->required();
  cmd->add_flag("--quiet", a->quiet, "Print no table");
  add_record_options(*cmd, a->record, "--name",
                     "Leaderboard name of the model (default: backend:model file name, as `run` records it)");
  cmd->footer("Exit status: 0 merged, 1 shards that do not belong together (or bad input), 2 usage.");
  return [a] { return run_merge(*a); };
}

}  // namespace imaxbench
