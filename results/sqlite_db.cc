#ifdef IMAXBENCH_HAVE_SQLITE

#include "results/sqlite_db.h"

#include <chrono>
#include <thread>

#include <sqlite3.h>

#include "core/error.h"

namespace imaxbench {

namespace {

// Each statement waits up to this long for a lock before SQLite reports busy; run_write then
// retries the whole transaction, so a writer gives up only after minutes of contention.
constexpr int kBusyTimeoutMs = 10000;
constexpr int kWriteTries = 12;

bool is_busy(int rc) {
  const int primary = rc & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

}  // namespace

[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::string& path,
                                     const std::string& what) {
  std::string msg = path + ": SQLite error while " + what + ": " +
                    (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (is_busy(rc)) throw SqliteBusy(msg);
  throw Error(msg);
}

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql, const std::string& path)
    : db_(db), path_(path) {
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, path_, "preparing '" + sql + "'");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::bind(int index, const std::string& text) {
  int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, path_, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, path_, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, path_, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, path_, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::bind_optional(int index, std::optional<double> value) {
  return value ? bind(index, *value) : bind_null(index);
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite_error(db_, rc, path_, "running '" + std::string(sqlite3_sql(stmt_)) + "'");
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string SqliteStatement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, column)) : std::string();
}

double SqliteStatement::real(int column) const { return sqlite3_column_double(stmt_, column); }
std::int64_t SqliteStatement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
bool SqliteStatement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

SqliteDb::SqliteDb(const std::string& path) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = path + ": cannot open the leaderboard database: " +
                      (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)) +
                      " (does the folder exist and is it writable?)";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(msg);
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // Switching to WAL needs a moment of exclusive access; another process opening the same new
  // file at the same time can make it report busy, which the retry absorbs.
  for (int attempt = 0;; ++attempt) {
    try {
      exec("PRAGMA journal_mode=WAL");
      break;
    } catch (const SqliteBusy&) {
      if (attempt + 1 >= kWriteTries) throw Error(path + ": database stayed locked while enabling WAL");
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
    }
  }
  exec("PRAGMA foreign_keys=ON");
  exec("PRAGMA synchronous=NORMAL");
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

void SqliteDb::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, path_, "running '" + sql.substr(0, 80) + "'");
}

std::int64_t SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int SqliteDb::user_version() {
  auto st = prepare("PRAGMA user_version");
  return st.step() ? static_cast<int>(st.integer(0)) : 0;
}

void SqliteDb::run_write(const std::function<void()>& body) {
  for (int attempt = 0;; ++attempt) {
    try {
      exec("BEGIN IMMEDIATE");
      try {
        body();
        exec("COMMIT");
        return;
      } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
      }
    } catch (const SqliteBusy& e) {
      if (attempt + 1 >= kWriteTries)
        throw Error(std::string(e.what()) + " (still locked after " + std::to_string(kWriteTries) +
                    " tries; is another process holding a write transaction open?)");
      std::this_thread::sleep_for(std::chrono::milliseconds(25 * (attempt + 1)));
    }
  }
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_SQLITE
