// The run manifest (DIR/manifest.json), written atomically before the first sample: what was
// evaluated (suite and split hashes), by what (backend, device, model hash, library versions,
// build, git sha) and how (every setting). --resume and merge compare manifests so a journal is
// never continued or combined under different conditions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.h"
#include "metrics/bootstrap.h"
#include "harness/score_suite.h"
#include "harness/shard.h"

namespace imaxbench {

struct RunSettings {
  std::string backend;
  BackendOptions backend_options;
  std::string tasks;
  std::size_t limit = 0;
  ShardSpec shard;
  SplitOptions split;
  BootstrapOptions bootstrap;
  // Runtime only: may change between a run and its --resume without changing any answer.
  int threads = 0;
  double max_fail_rate = 0.1;
  bool fsync = false;
  std::string shard_source = "--shard";  // where the shard came from (harness/launch_env.h)
  std::string device_source;             // where cuda:auto's index came from; "" when given outright
};

constexpr int kManifestSchemaVersion = 1;

// "suite", "backend", "settings" and "build" identify a run; "runtime" and "created" do not.
nlohmann::json make_manifest(const LoadedSuite& loaded, const Backend& backend,
                             const RunSettings& settings);

// Dotted paths of the identifying keys whose values differ, with both values, e.g.
// "settings.batch_size: 8 vs 4". Keys listed in `ignore` (dotted) are skipped.
std::vector<std::string> manifest_differences(const nlohmann::json& a, const nlohmann::json& b,
                                              const std::vector<std::string>& ignore = {});

// Throws Error naming the file when it is missing or not a manifest.
nlohmann::json read_manifest(const std::string& path);

// SHA-256 of a model file; "" for a path that is empty or a folder.
std::string model_sha256(const std::string& path);

}  // namespace imaxbench
