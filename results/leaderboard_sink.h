// The leaderboard store as a result sink (`run` and `score` record through it unless --no-record):
// finalize adds the results document to the store in one transaction.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "results/leaderboard_store.h"
#include "results/result_sink.h"

namespace imaxbench {

struct LeaderboardSinkOptions {
  std::string db;            // store path (--db, IMAXBENCH_DB or the XDG default)
  bool db_explicit = false;  // --db or IMAXBENCH_DB given: a store that fails is an error, else a note
  RunRecordInfo info;
  std::ostream* out = nullptr;  // where "recorded as run N (name) in DB" goes; null: nowhere
};

std::unique_ptr<ResultSink> make_leaderboard_sink(LeaderboardSinkOptions options);

}  // namespace imaxbench
