// Options several subcommands share, declared once so their names and help stay consistent.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backends/backend.h"
#include "metrics/bootstrap.h"
#include "data/split_reader.h"
#include "results/leaderboard_sink.h"
#include "results/leaderboard_store.h"
#include "results/store_location.h"

namespace imaxbench {

struct CommonOptions {
  std::string suite;
  std::string tasks;
  SplitOptions split;
  BootstrapOptions bootstrap;
  int threads = 0;  // 0: all cores
};

// --suite, --tasks, --strict, --allow-external-images, --threads; with `scoring` also
// --bootstrap, --seed, --no-cluster. Environment fallbacks: IMAXBENCH_THREADS.
void add_common_options(CLI::App& cmd, CommonOptions& o, bool scoring);

// Model flags `run` and `profile` share: --max-new-tokens, --dtype, and the openai backend's
// --endpoint, --api-key-env, --timeout-s, --retries, --no-stream, --max-answer-bytes (--concurrency
// differs per command).
void add_backend_options(CLI::App& cmd, BackendOptions& o);

// Leaderboard recording, the same flags on run, score and merge: --no-record, --db (IMAXBENCH_DB),
// --name (score also --model-name), --tag (repeatable).
struct RecordOptions {
  bool no_record = false;
  std::string db = default_db_path();
  std::string name;
  std::vector<std::string> tags;
  CLI::Option* db_option = nullptr;
  // --db or IMAXBENCH_DB given: a store that fails is then an error, not a note.
  bool db_explicit() const;
};
void add_record_options(CLI::App& cmd, RecordOptions& o, const std::string& name_flags, const std::string& name_help);
// The sink's options from them; `info` is left for the command to fill but for name and tags.
LeaderboardSinkOptions leaderboard_options(const RecordOptions& o, bool quiet);

// --progress auto|bar|lines|off on run, score and compare; `work` names what a log's lines wait
// for ("the run", "scoring").
void add_progress_option(CLI::App& cmd, std::string& mode, const std::string& work);

// A run's leaderboard name when --name is not given: "backend:model file name", or the backend
// alone when there is no model.
std::string default_model_name(const std::string& backend, const std::string& model);

// Limits TBB to `threads` workers for the lifetime of the returned object (0: no limit).
std::shared_ptr<void> limit_threads(int threads);

}  // namespace imaxbench
