// The leaderboard store: recording and reading runs, tags, stored answers, migrating a version-1
// database, and two processes writing at once.
#include "results/leaderboard_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "test_files.h"

#ifdef IMAXBENCH_HAVE_SQLITE
#include <sqlite3.h>
#endif

namespace imaxbench {
namespace {

using testing::TempDir;

nlohmann::json results(double acc, const std::string& date, const std::string& split_sha = "s1",
                       const std::string& signature = "accuracy|v1") {
  return {{"schema_version", 1},
          {"context", {{"suite", "imax-sample"}, {"suite_sha256", "suitehash"}, {"date", date},
                       {"backend", "replay"}, {"device", "cpu"}, {"git_sha", "abc"}, {"tool_version", "0.1.0"}}},
          {"tasks", {{"multiclass_classification",
                      {{"split_sha256", split_sha}, {"primary_metric", "accuracy"},
                       {"metrics", {{"accuracy", {{"score", acc}, {"signature", signature}, {"higher_is_better", true},
                                                  {"ci95", {acc - 0.1, acc + 0.1}}}},
                                    {"f1_macro", {{"score", acc / 2}, {"signature", "f1|v1"}, {"higher_is_better", true},
                                                  {"ci95", nullptr}}}}}}}}},
          {"suite", {{"score", acc * 100}, {"primary", {{"multiclass_classification", acc}}}}}};
}

#ifdef IMAXBENCH_HAVE_SQLITE
std::size_t list_runs_count(const std::string& db) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM runs", -1, &st, nullptr);
  sqlite3_step(st);
  const auto n = static_cast<std::size_t>(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}
#endif

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!store_available()) GTEST_SKIP() << store_unavailable_message();
    db_ = dir_.path() + "/sub/leaderboard.sqlite";
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(StoreTest, RecordsRunsWithScoresTagsAndAnswers) {
  const std::string answers = dir_.write("p.jsonl", "{\"id\": \"a\", \"prediction\": \"yes\"}\n"
                                                    "{\"id\": \"b\", \"error\": \"timeout\"}\n");
  RunRecordInfo info;
  info.model_name = "ckpt-1";
  info.tags = {"nightly", "accepted"};
  info.answers_path = answers;
  info.suite_path = "relative/suite.json";
  const auto id1 = record_run(db_, results(0.5, "2025-04-01T00:00:00Z"), info);
  info.model_name = "ckpt-2";
  info.tags = {"nightly"};
  info.store_answers = false;
  const auto id2 = record_run(db_, results(0.7, "2025-04-02T00:00:00Z"), info);
  EXPECT_EQ(id2, id1 + 1);

  auto runs = list_runs(db_, {});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].model, "ckpt-1");
  EXPECT_EQ(runs[0].tags, (std::vector<std::string>{"accepted", "nightly"}));
  EXPECT_DOUBLE_EQ(runs[1].suite_score, 70.0);
  ASSERT_EQ(runs[0].scores.size(), 2u);
  EXPECT_EQ(runs[0].scores[0].metric, "accuracy");
  EXPECT_TRUE(runs[0].scores[0].is_primary);
  EXPECT_DOUBLE_EQ(runs[0].scores[0].primary_value, 0.5);
  ASSERT_TRUE(runs[0].scores[0].ci95);
  EXPECT_DOUBLE_EQ(runs[0].scores[0].ci95->second, 0.6);
  EXPECT_FALSE(runs[0].scores[1].ci95);
  EXPECT_TRUE(std::isnan(runs[0].scores[1].primary_value));
  EXPECT_TRUE(runs[0].suite_path.starts_with("/")) << "paths are stored absolute";
  EXPECT_EQ(runs[0].splits_sha256, splits_hash(results(0.1, "x")));

  EXPECT_EQ(list_runs(db_, {.since = "2025-04-02"}).size(), 1u);
  EXPECT_EQ(list_runs(db_, {.tag = "accepted"}).size(), 1u);
  EXPECT_EQ(list_runs(db_, {.suite = "other"}).size(), 0u);
  EXPECT_EQ(newest_with_tag(db_, "nightly", "imax-sample")->id, id2);
  EXPECT_FALSE(newest_with_tag(db_, "nightly", "other"));

  AnswerSet stored = stored_answers(db_, id1);
  ASSERT_EQ(stored.by_id.size(), 2u);
  EXPECT_EQ(stored.by_id["a"].text, "yes");
  EXPECT_EQ(stored.by_id["b"].error, "timeout");
  EXPECT_THROW(stored_answers(db_, id2), Error);  // recorded without answers
  EXPECT_DOUBLE_EQ(stored_results(db_, id2)["suite"]["score"].get<double>(), 70.0);

  add_tag(db_, id2, "accepted");
  EXPECT_EQ(newest_with_tag(db_, "accepted", "")->id, id2);
  remove_tag(db_, id2, "accepted");
  EXPECT_EQ(newest_with_tag(db_, "accepted", "")->id, id1);
  EXPECT_THROW(add_tag(db_, 999, "x"), Error);
}

TEST_F(StoreTest, MissingDatabaseAndBadResultsAreClearErrors) {
  EXPECT_THROW(list_runs(dir_.path() + "/none.sqlite", {}), Error);
  RunRecordInfo info;
  info.model_name = "m";
  EXPECT_THROW(record_run(db_, nlohmann::json{{"tasks", 1}}, info), Error);
  info.model_name.clear();
  EXPECT_THROW(record_run(db_, results(0.5, "2025-01-01"), info), Error);
}

#ifdef IMAXBENCH_HAVE_SQLITE
void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << "\n" << sql;
}

// A database as version 1 of the schema wrote it (this DDL is that version's, frozen).
TEST_F(StoreTest, MigratesAVersionOneDatabase) {
  const std::string path = dir_.path() + "/v1.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, R"sql(
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
    CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL, date TEXT NOT NULL,
      model TEXT NOT NULL, suite TEXT NOT NULL, suite_sha256 TEXT NOT NULL, manifest_sha256 TEXT NOT NULL DEFAULT '',
      backend TEXT NOT NULL DEFAULT '', device TEXT NOT NULL DEFAULT '', git_sha TEXT NOT NULL DEFAULT '',
      tool_version TEXT NOT NULL DEFAULT '', suite_score REAL, tags TEXT NOT NULL DEFAULT '', results_json TEXT NOT NULL);
    CREATE INDEX runs_suite_date ON runs(suite, date);
    CREATE TABLE task_scores (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, task TEXT NOT NULL,
      metric TEXT NOT NULL, score REAL, ci_lo REAL, ci_hi REAL, signature TEXT NOT NULL,
      higher_is_better INTEGER NOT NULL, is_primary INTEGER NOT NULL, split_sha256 TEXT NOT NULL,
      PRIMARY KEY (run_id, task, metric));
    INSERT INTO schema_migrations VALUES (1, 'runs and per-task metric scores', '2025-01-01T00:00:00Z');
    PRAGMA user_version = 1;)sql");
  const std::string doc = results(0.42, "2025-01-02T00:00:00Z").dump();
  std::string quoted;
  for (char c : doc) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  exec(db, "INSERT INTO runs(recorded_at, date, model, suite, suite_sha256, suite_score, tags, results_json) VALUES "
           "('2025-01-02T00:00:00Z', '2025-01-02T00:00:00Z', 'old-model', 'imax-sample', 'suitehash', 42.0, "
           "'nightly,accepted', '" + quoted + "');"
           "INSERT INTO task_scores VALUES (1, 'multiclass_classification', 'accuracy', 0.42, 0.32, 0.52, "
           "'accuracy|v1', 1, 1, 's1');");
  sqlite3_close(db);

  EXPECT_EQ(migrate_store(path), 1);
  EXPECT_EQ(migrate_store(path), kStoreSchemaVersion);  // idempotent
  auto run = find_run(path, 1);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->model, "old-model");
  EXPECT_EQ(run->tags, (std::vector<std::string>{"accepted", "nightly"}));
  EXPECT_EQ(run->splits_sha256, splits_hash(nlohmann::json::parse(doc)));
  EXPECT_EQ(run->signatures_sha256, signatures_hash(nlohmann::json::parse(doc)));
  ASSERT_EQ(run->scores.size(), 1u);
  EXPECT_DOUBLE_EQ(run->scores[0].primary_value, 0.42);
  EXPECT_EQ(newest_with_tag(path, "accepted", "imax-sample")->id, 1);

  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM schema_migrations", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 2);
  sqlite3_finalize(st);
  sqlite3_close(db);

  RunRecordInfo info;
  info.model_name = "new-model";
  EXPECT_EQ(record_run(path, results(0.5, "2025-02-01"), info), 2);
}

TEST_F(StoreTest, RefusesADatabaseFromANewerVersion) {
  const std::string path = dir_.path() + "/future.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, "PRAGMA user_version = 99");
  sqlite3_close(db);
  try {
    migrate_store(path);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

// A store whose schema_migrations table records a newer version than PRAGMA user_version says
// (a copy tool that reset the pragma) is refused too, not written to.
TEST_F(StoreTest, RefusesANewerVersionRecordedInTheMigrationsTable) {
  RunRecordInfo info;
  info.model_name = "m";
  record_run(db_, results(0.5, "2025-02-01"), info);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  exec(db, "INSERT INTO schema_migrations(version, description, applied_at) VALUES (999, 'future', 'x')");
  sqlite3_close(db);
  try {
    record_run(db_, results(0.6, "2025-02-02"), info);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 999 is newer"), std::string::npos) << e.what();
  }
  EXPECT_EQ(list_runs_count(db_), 1u);
}
#endif

// Two processes each record 50 runs into one new database at the same time: none is lost.
TEST_F(StoreTest, ConcurrentWritersInTwoProcessesLoseNothing) {
  constexpr int kEach = 50;
  auto write = [&](const std::string& who) {
    RunRecordInfo info;
    info.model_name = who;
    for (int i = 0; i < kEach; ++i) record_run(db_, results(0.01 * i, "2025-03-01T00:00:00Z"), info);
  };
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int rc = 0;
    try {
      write("child");
    } catch (const std::exception& e) {
      fprintf(stderr, "child: %s\n", e.what());
      rc = 1;
    }
    _exit(rc);
  }
  write("parent");
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  auto runs = list_runs(db_, {});
  ASSERT_EQ(runs.size(), 2u * kEach);
  int child_rows = 0;
  for (const auto& r : runs) {
    child_rows += r.model == "child";
    EXPECT_EQ(r.scores.size(), 2u) << "run " << r.id << " lost its scores";
  }
  EXPECT_EQ(child_rows, kEach);
}

}  // namespace
}  // namespace imaxbench
