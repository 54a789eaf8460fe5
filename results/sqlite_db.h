// A thin RAII layer over the SQLite C API for the leaderboard store: one connection, prepared
// statements, and write transactions that survive concurrent writers. Only compiled with SQLite
// (IMAXBENCH_HAVE_SQLITE); nothing outside results/ includes it.
#pragma once

#ifdef IMAXBENCH_HAVE_SQLITE

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace imaxbench {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql, const std::string& path);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Binding is 1-based, as in SQLite. Chainable.
  SqliteStatement& bind(int index, const std::string& text);
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind_null(int index);
  SqliteStatement& bind_optional(int index, std::optional<double> value);
  // True while a row is available; false when done. Throws Error on failure (busy included:
  // the caller's transaction retries).
  bool step();
  void reset();

  std::string text(int column) const;
  double real(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string path_;
};

// Thrown inside a transaction when SQLite reports the database busy or locked; run_write retries.
class SqliteBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SqliteDb {
 public:
  // Opens (creating when missing) with WAL journaling, a busy timeout and foreign keys on.
  explicit SqliteDb(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const std::string& sql);
  SqliteStatement prepare(const std::string& sql) { return SqliteStatement(db_, sql, path_); }
  std::int64_t last_insert_id() const;
  int user_version();

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so two
  // writers never deadlock upgrading a read lock. When the database stays busy beyond the busy
  // timeout, the whole transaction is rolled back and retried with backoff; after the last try
  // it throws Error. `body` must be safe to run more than once.
  void run_write(const std::function<void()>& body);

  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// Throws the right error for SQLite result `rc` on `db`: SqliteBusy for busy/locked, Error else.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::string& path,
                                     const std::string& what);

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_SQLITE
