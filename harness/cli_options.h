// Options several subcommands share, declared once so their names and help stay consistent.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "backends/backend.h"
#include "harness/bootstrap.h"
#include "harness/split_reader.h"
#include "results/leaderboard_store.h"

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

// record_run at the end of `run` or `score`, whose results are already on disk: a store the user
// did not name (no --db, no IMAXBENCH_DB) that cannot be written gets a note on stderr instead of
// failing the command. The new run id, or nullopt after the note.
std::optional<std::int64_t> record_or_note(const std::string& db, const nlohmann::json& results,
                                           const RunRecordInfo& info, bool db_explicit);

// Limits TBB to `threads` workers for the lifetime of the returned object (0: no limit).
std::shared_ptr<void> limit_threads(int threads);

}  // namespace imaxbench
