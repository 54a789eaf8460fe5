#include "results/leaderboard_sink.h"

#include <iostream>

#include "core/error.h"

namespace imaxbench {

namespace {

class LeaderboardSink : public ResultSink {
 public:
  explicit LeaderboardSink(LeaderboardSinkOptions o) : o_(std::move(o)) {}
  void report_context(const nlohmann::json&) override {}
  void report_task(const TaskResult&) override {}
  void report_suite(const SuiteSummary&) override {}

  void finalize(const nlohmann::json& results) override {
    // The default store is a convenience: a build or a folder that cannot hold it costs a note,
    // never the run. A store the user named must work.
    if (!store_available() && !o_.db_explicit) {
      std::cerr << "note: not recorded in the leaderboard: " << store_unavailable_message() << "\n";
      return;
    }
    std::int64_t id = 0;
    try {
      id = record_run(o_.db, results, o_.info);
    } catch (const Error& e) {
      if (o_.db_explicit) throw;
      std::cerr << "note: not recorded in the default leaderboard store: " << e.what()
                << " (pass --db PATH or --no-record)\n";
      return;
    }
    if (o_.out) *o_.out << "recorded as run " << id << " (" << o_.info.model_name << ") in " << o_.db << "\n";
  }

 private:
  LeaderboardSinkOptions o_;
};

}  // namespace

std::unique_ptr<ResultSink> make_leaderboard_sink(LeaderboardSinkOptions options) {
  return std::make_unique<LeaderboardSink>(std::move(options));
}

}  // namespace imaxbench
