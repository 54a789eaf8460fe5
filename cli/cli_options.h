// Options several subcommands share, declared once so their names and help stay consistent.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "backends/backend.h"
#include "metrics/bootstrap.h"
#include "data/split_reader.h"
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

// Limits TBB to `threads` workers for the lifetime of the returned object (0: no limit).
std::shared_ptr<void> limit_threads(int threads);

}  // namespace imaxbench
