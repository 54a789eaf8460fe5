// leaderboard_store.h in a build without SQLite: every store operation says so plainly, so a
// user learns to rebuild with libsqlite3-dev or to pass --no-record.
#ifndef IMAXBENCH_HAVE_SQLITE

#include "results/leaderboard_store.h"
#include "core/error.h"

namespace imaxbench {

namespace {
[[noreturn]] void unavailable() { throw Error(store_unavailable_message()); }
}  // namespace

bool store_available() { return false; }

std::string store_unavailable_message() {
  return "this imaxbench was built without SQLite (IMAXBENCH_WITH_SQLITE=OFF or libsqlite3-dev "
         "missing), so it has no leaderboard store; install libsqlite3-dev and rebuild, or pass "
         "--no-record";
}

int migrate_store(const std::string&) { unavailable(); }
std::int64_t record_run(const std::string&, const nlohmann::json&, const RunRecordInfo&) { unavailable(); }
std::vector<StoredRun> list_runs(const std::string&, const RunQuery&) { unavailable(); }
std::optional<StoredRun> find_run(const std::string&, std::int64_t) { unavailable(); }
std::optional<StoredRun> newest_with_tag(const std::string&, const std::string&, const std::string&) { unavailable(); }
nlohmann::json stored_results(const std::string&, std::int64_t) { unavailable(); }
AnswerSet stored_answers(const std::string&, std::int64_t) { unavailable(); }
void add_tag(const std::string&, std::int64_t, const std::string&) { unavailable(); }
void remove_tag(const std::string&, std::int64_t, const std::string&) { unavailable(); }

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_SQLITE
