#ifdef IMAXBENCH_HAVE_SQLITE

#include "results/store_schema.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "results/leaderboard_store.h"
#include "core/error.h"

namespace imaxbench {

namespace {

// Version 1: runs with a comma-separated tag column, and per-task metric scores.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at TEXT NOT NULL);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  recorded_at TEXT NOT NULL,
  date TEXT NOT NULL,
  model TEXT NOT NULL,
  suite TEXT NOT NULL,
  suite_sha256 TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL DEFAULT '',
  backend TEXT NOT NULL DEFAULT '',
  device TEXT NOT NULL DEFAULT '',
  git_sha TEXT NOT NULL DEFAULT '',
  tool_version TEXT NOT NULL DEFAULT '',
  suite_score REAL,
  tags TEXT NOT NULL DEFAULT '',
  results_json TEXT NOT NULL);
CREATE INDEX runs_suite_date ON runs(suite, date);
CREATE TABLE task_scores (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  task TEXT NOT NULL,
  metric TEXT NOT NULL,
  score REAL,
  ci_lo REAL,
  ci_hi REAL,
  signature TEXT NOT NULL,
  higher_is_better INTEGER NOT NULL,
  is_primary INTEGER NOT NULL,
  split_sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, task, metric));
)sql";

// Version 2: tags get their own table (so "newest run tagged accepted" is an index lookup),
// runs carry comparability hashes and where their suite and answers were, answers are stored so
// `compare ID ID` can re-score and resample, and the primary metric's suite value is kept.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE run_tags (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (run_id, tag));
CREATE INDEX run_tags_tag ON run_tags(tag);
ALTER TABLE runs ADD COLUMN splits_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN signatures_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN suite_path TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN answers_path TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN run_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE task_scores ADD COLUMN primary_value REAL;
CREATE TABLE run_answers (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  sample_id TEXT NOT NULL,
  prediction TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, sample_id)) WITHOUT ROWID;
)sql";

std::string now_utc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

// Fills what version 2 added for runs recorded under version 1, then drops the old tag column.
void upgrade_rows_to_v2(SqliteDb& db) {
  auto runs = db.prepare("SELECT id, tags, results_json FROM runs");
  auto tag = db.prepare("INSERT OR IGNORE INTO run_tags(run_id, tag) VALUES (?, ?)");
  auto hashes = db.prepare("UPDATE runs SET splits_sha256 = ?, signatures_sha256 = ? WHERE id = ?");
  auto primary = db.prepare(
      "UPDATE task_scores SET primary_value = ? WHERE run_id = ? AND task = ? AND is_primary = 1");
  while (runs.step()) {
    const std::int64_t id = runs.integer(0);
    std::stringstream tags(runs.text(1));
    for (std::string t; std::getline(tags, t, ',');) {
      if (t.empty()) continue;
      tag.bind(1, id).bind(2, t).step();
      tag.reset();
    }
    nlohmann::json results = nlohmann::json::parse(runs.text(2), nullptr, false);
    if (results.is_discarded()) throw Error(db.path() + ": run " + std::to_string(id) + " has unreadable results_json");
    hashes.bind(1, splits_hash(results)).bind(2, signatures_hash(results)).bind(3, id).step();
    hashes.reset();
    auto p = results.find("suite");
    if (p == results.end() || !p->contains("primary")) continue;
    for (const auto& [task, v] : (*p)["primary"].items()) {
      if (!v.is_number()) continue;
      primary.bind(1, v.get<double>()).bind(2, id).bind(3, task).step();
      primary.reset();
    }
  }
  db.exec("ALTER TABLE runs DROP COLUMN tags");
}

struct Migration {
  int version;
  const char* description;
  const char* sql;
  void (*data)(SqliteDb&);
};

const Migration kMigrations[] = {
    {1, "runs and per-task metric scores", kSchemaV1, nullptr},
    {2, "tag table, comparability hashes, stored answers, primary values", kSchemaV2, upgrade_rows_to_v2},
};

// The store's version as recorded in both places a migration writes: PRAGMA user_version and the
// schema_migrations table. A newer version in either (a newer imaxbench, or a store whose pragma
// was reset by a copy tool) is refused, never written to.
int recorded_version(SqliteDb& db) {
  int found = db.user_version();
  auto table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (table.step()) {
    auto st = db.prepare("SELECT MAX(version) FROM schema_migrations");
    if (st.step() && !st.is_null(0)) found = std::max(found, static_cast<int>(st.integer(0)));
  }
  return found;
}

}  // namespace

int migrate_schema(SqliteDb& db, int target) {
  int found = recorded_version(db);
  if (found > kStoreSchemaVersion)
    throw Error(db.path() + ": leaderboard schema version " + std::to_string(found) +
                " is newer than this imaxbench understands (" + std::to_string(kStoreSchemaVersion) +
                "); use a newer imaxbench or another --db");
  if (found >= target) return found;
  db.run_write([&] {
    found = db.user_version();  // another process may have migrated while we waited for the lock
    for (const Migration& m : kMigrations) {
      if (m.version <= found || m.version > target) continue;
      db.exec(m.sql);
      if (m.data) m.data(db);
      db.prepare("INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, ?, ?)")
          .bind(1, std::int64_t(m.version)).bind(2, std::string(m.description)).bind(3, now_utc()).step();
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
  });
  return found;
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_SQLITE
