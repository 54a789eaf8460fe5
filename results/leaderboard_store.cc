// The SQLite implementation of leaderboard_store.h (store_without_sqlite.cc stands in without it).
#ifdef IMAXBENCH_HAVE_SQLITE

#include "results/leaderboard_store.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <memory>

#include "results/sqlite_db.h"
#include "results/store_schema.h"
#include "core/error.h"

namespace imaxbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// SQLite would open "" as a private temporary database and lose the run without a word.
void require_location(const std::string& path) {
  if (path.empty())
    throw Error("no leaderboard store location: neither XDG_DATA_HOME nor HOME is set; pass --db "
                "PATH or set IMAXBENCH_DB");
}

std::unique_ptr<SqliteDb> open_for_write(const std::string& path) {
  require_location(path);
  std::filesystem::path p(path);
  if (p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
  }
  auto db = std::make_unique<SqliteDb>(path);
  migrate_schema(*db, kStoreSchemaVersion);
  return db;
}

std::unique_ptr<SqliteDb> open_for_read(const std::string& path) {
  require_location(path);
  if (!std::filesystem::exists(path))
    throw Error(path + ": no leaderboard database here; record a run first (`imaxbench score` or "
                "`imaxbench run` without --no-record) or point --db / IMAXBENCH_DB at one");
  return open_for_write(path);  // an old schema is migrated before reading
}

// Paths are stored absolute so `compare ID` finds the files from any working folder.
std::string absolute_or_empty(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

std::string now_utc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

std::string context_string(const nlohmann::json& context, const char* key) {
  auto it = context.find(key);
  return it != context.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  return std::nullopt;
}

void check_results(const nlohmann::json& results) {
  if (!results.is_object() || !results.contains("context") || !results["context"].is_object() ||
      !results.contains("tasks") || !results["tasks"].is_object())
    throw Error("cannot record: not a results document (needs \"context\" and \"tasks\" objects, docs/formats.md §5)");
  if (context_string(results["context"], "suite").empty())
    throw Error("cannot record: the results context has no \"suite\" name");
}

void insert_scores(SqliteDb& db, std::int64_t id, const nlohmann::json& results) {
  auto st = db.prepare(
      "INSERT INTO task_scores(run_id, task, metric, score, ci_lo, ci_hi, signature, "
      "higher_is_better, is_primary, split_sha256, primary_value) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  const nlohmann::json primaries = results.contains("suite") ? results["suite"].value("primary", nlohmann::json::object())
                                                             : nlohmann::json::object();
  for (const auto& [task, t] : results["tasks"].items()) {
    const std::string primary = t.value("primary_metric", std::string());
    if (!t.contains("metrics") || !t["metrics"].is_object()) continue;
    for (const auto& [metric, m] : t["metrics"].items()) {
      const bool is_primary = metric == primary;
      std::optional<double> lo, hi;
      if (auto ci = m.find("ci95"); ci != m.end() && ci->is_array() && ci->size() == 2) {
        lo = number((*ci)[0]);
        hi = number((*ci)[1]);
      }
      st.bind(1, id).bind(2, task).bind(3, metric).bind_optional(4, number(m.value("score", nlohmann::json())))
          .bind_optional(5, lo).bind_optional(6, hi).bind(7, m.value("signature", std::string()))
          .bind(8, std::int64_t(m.value("higher_is_better", true))).bind(9, std::int64_t(is_primary))
          .bind(10, t.value("split_sha256", std::string()))
          .bind_optional(11, is_primary && primaries.contains(task) ? number(primaries[task]) : std::nullopt);
      st.step();
      st.reset();
    }
  }
}

const char* kRunColumns =
    "id, recorded_at, date, model, suite, suite_sha256, manifest_sha256, backend, device, git_sha, "
    "tool_version, splits_sha256, signatures_sha256, suite_path, answers_path, run_dir, suite_score, "
    // The average's interval lives in the results document alone (no column: older runs have none).
    "json_extract(results_json, '$.suite.ci95[0]'), json_extract(results_json, '$.suite.ci95[1]')";

StoredRun read_run_row(SqliteStatement& st) {
  StoredRun r;
  r.id = st.integer(0);
  std::string* fields[] = {&r.recorded_at, &r.date, &r.model, &r.suite, &r.suite_sha256,
                           &r.manifest_sha256, &r.backend, &r.device, &r.git_sha, &r.tool_version,
                           &r.splits_sha256, &r.signatures_sha256, &r.suite_path, &r.answers_path, &r.run_dir};
  for (int i = 0; i < 15; ++i) *fields[i] = st.text(i + 1);
  r.suite_score = st.is_null(16) ? kNaN : st.real(16);
  if (!st.is_null(17) && !st.is_null(18)) r.suite_ci95 = std::make_pair(st.real(17), st.real(18));
  return r;
}

void load_details(SqliteDb& db, StoredRun& r) {
  auto tags = db.prepare("SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag");
  tags.bind(1, r.id);
  while (tags.step()) r.tags.push_back(tags.text(0));
  auto sc = db.prepare(
      "SELECT task, metric, score, ci_lo, ci_hi, signature, higher_is_better, is_primary, "
      "split_sha256, primary_value FROM task_scores WHERE run_id = ? ORDER BY rowid");
  sc.bind(1, r.id);
  while (sc.step()) {
    StoredScore s;
    s.task = sc.text(0);
    s.metric = sc.text(1);
    s.score = sc.is_null(2) ? kNaN : sc.real(2);
    if (!sc.is_null(3) && !sc.is_null(4)) s.ci95 = std::make_pair(sc.real(3), sc.real(4));
    s.signature = sc.text(5);
    s.higher_is_better = sc.integer(6) != 0;
    s.is_primary = sc.integer(7) != 0;
    s.split_sha256 = sc.text(8);
    s.primary_value = sc.is_null(9) ? kNaN : sc.real(9);
    r.scores.push_back(std::move(s));
  }
}

}  // namespace

bool store_available() { return true; }

std::string store_unavailable_message() { return ""; }

int migrate_store(const std::string& db_path) {
  SqliteDb db(db_path);
  return migrate_schema(db, kStoreSchemaVersion);
}

std::int64_t record_run(const std::string& db_path, const nlohmann::json& results,
                        const RunRecordInfo& info) {
  check_results(results);
  if (info.model_name.empty()) throw Error("cannot record: no model name (give --model-name)");
  AnswerSet answers;
  if (info.store_answers && !info.answers_path.empty()) answers = read_answers(info.answers_path, false);
  const nlohmann::json& ctx = results["context"];
  const std::string date = context_string(ctx, "date").empty() ? now_utc() : context_string(ctx, "date");
  const std::string splits = splits_hash(results), signatures = signatures_hash(results);
  const std::string text = results.dump();
  std::optional<double> suite_score;
  if (results.contains("suite") && results["suite"].is_object())
    suite_score = number(results["suite"].value("score", nlohmann::json()));

  auto db = open_for_write(db_path);
  std::int64_t id = 0;
  db->run_write([&] {
    auto run = db->prepare(
        "INSERT INTO runs(recorded_at, date, model, suite, suite_sha256, manifest_sha256, backend, "
        "device, git_sha, tool_version, suite_score, results_json, splits_sha256, signatures_sha256, "
        "suite_path, answers_path, run_dir) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    run.bind(1, now_utc()).bind(2, date).bind(3, info.model_name).bind(4, context_string(ctx, "suite"))
        .bind(5, context_string(ctx, "suite_sha256")).bind(6, info.manifest_sha256)
        .bind(7, context_string(ctx, "backend")).bind(8, context_string(ctx, "device"))
        .bind(9, context_string(ctx, "git_sha")).bind(10, context_string(ctx, "tool_version"))
        .bind_optional(11, suite_score).bind(12, text).bind(13, splits).bind(14, signatures)
        .bind(15, absolute_or_empty(info.suite_path)).bind(16, absolute_or_empty(info.answers_path))
        .bind(17, absolute_or_empty(info.run_dir));
    run.step();
    id = db->last_insert_id();
    insert_scores(*db, id, results);
    auto tag = db->prepare("INSERT OR IGNORE INTO run_tags(run_id, tag) VALUES (?, ?)");
    for (const auto& t : info.tags) {
      tag.bind(1, id).bind(2, t).step();
      tag.reset();
    }
    auto ans = db->prepare("INSERT INTO run_answers(run_id, sample_id, prediction, error) VALUES (?,?,?,?)");
    for (const auto& [sample_id, a] : answers.by_id) {
      ans.bind(1, id).bind(2, sample_id).bind(3, a.text).bind(4, a.error).step();
      ans.reset();
    }
  });
  return id;
}

std::vector<StoredRun> list_runs(const std::string& db_path, const RunQuery& q) {
  auto db = open_for_read(db_path);
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE 1=1";
  std::vector<std::string> args;
  if (!q.suite.empty()) sql += " AND suite = ?", args.push_back(q.suite);
  if (!q.since.empty()) sql += " AND date >= ?", args.push_back(q.since);
  if (!q.model.empty()) sql += " AND model = ?", args.push_back(q.model);
  if (!q.tag.empty()) sql += " AND id IN (SELECT run_id FROM run_tags WHERE tag = ?)", args.push_back(q.tag);
  sql += " ORDER BY date, id";
  auto st = db->prepare(sql);
  for (std::size_t i = 0; i < args.size(); ++i) st.bind(int(i + 1), args[i]);
  std::vector<StoredRun> out;
  while (st.step()) out.push_back(read_run_row(st));
  for (auto& r : out) load_details(*db, r);
  return out;
}

std::optional<StoredRun> find_run(const std::string& db_path, std::int64_t id) {
  auto db = open_for_read(db_path);
  auto st = db->prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  StoredRun r = read_run_row(st);
  load_details(*db, r);
  return r;
}

std::optional<StoredRun> newest_with_tag(const std::string& db_path, const std::string& tag,
                                         const std::string& suite) {
  RunQuery q;
  q.tag = tag;
  q.suite = suite;
  auto runs = list_runs(db_path, q);
  if (runs.empty()) return std::nullopt;
  return runs.back();
}

nlohmann::json stored_results(const std::string& db_path, std::int64_t id) {
  auto db = open_for_read(db_path);
  auto st = db->prepare("SELECT results_json FROM runs WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) throw Error(db_path + ": no run with id " + std::to_string(id));
  return nlohmann::json::parse(st.text(0));
}

AnswerSet stored_answers(const std::string& db_path, std::int64_t id) {
  auto db = open_for_read(db_path);
  AnswerSet out;
  out.path = db_path + "#" + std::to_string(id);
  auto st = db->prepare("SELECT sample_id, prediction, error FROM run_answers WHERE run_id = ?");
  st.bind(1, id);
  std::size_t line = 0;
  while (st.step()) {
    Answer a;
    a.text = st.text(1);
    a.error = st.text(2);
    a.line = ++line;
    out.by_id.emplace(st.text(0), std::move(a));
  }
  if (out.by_id.empty())
    throw Error(db_path + ": run " + std::to_string(id) + " has no stored answers (recorded with "
                "--no-store-answers or without an answers file); compare its run folder instead");
  return out;
}

void add_tag(const std::string& db_path, std::int64_t id, const std::string& tag) {
  auto db = open_for_read(db_path);
  db->run_write([&] {
    auto exists = db->prepare("SELECT 1 FROM runs WHERE id = ?");
    exists.bind(1, id);
    if (!exists.step()) throw Error(db_path + ": no run with id " + std::to_string(id));
    db->prepare("INSERT OR IGNORE INTO run_tags(run_id, tag) VALUES (?, ?)").bind(1, id).bind(2, tag).step();
  });
}

void remove_tag(const std::string& db_path, std::int64_t id, const std::string& tag) {
  auto db = open_for_read(db_path);
  db->run_write([&] {
    db->prepare("DELETE FROM run_tags WHERE run_id = ? AND tag = ?").bind(1, id).bind(2, tag).step();
  });
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_SQLITE
