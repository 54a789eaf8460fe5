// The JSON results file (docs/formats.md §5) and the suite summary it ends with.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/build_info.h"
#include "results/result_sink.h"
#include "core/error.h"

namespace imaxbench {

namespace {

// JSON has no NaN: a metric over zero samples is written as null.
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json task_json(const TaskResult& t) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& m : t.metrics) {
    nlohmann::json j = {{"score", number_or_null(m.score)},
                        {"signature", m.signature},
                        {"higher_is_better", m.higher_is_better}};
    if (m.ci95) j["ci95"] = {number_or_null((*m.ci95)[0]), number_or_null((*m.ci95)[1])};
    else j["ci95"] = nullptr;
    if (!m.null_reason.empty()) j["null_reason"] = m.null_reason;
    if (!m.details.is_null()) j["details"] = m.details;
    metrics[m.id] = std::move(j);
  }
  return {{"task_version", t.task_version},
          {"split", t.split},
          {"n_samples", {{"total", t.counts.total}, {"scored", t.counts.scored},
                         {"missing", t.counts.missing}, {"unparsed", t.counts.unparsed},
                         {"failed", t.counts.failed}, {"invalid", t.counts.invalid}}},
          {"split_sha256", t.split_sha256},
          {"primary_metric", t.primary_metric},
          {"metrics", std::move(metrics)},
          {"problems", t.problems}};
}

class JsonFileSink : public ResultSink {
 public:
  explicit JsonFileSink(std::string path) : path_(std::move(path)) {}
  void report_context(const nlohmann::json&) override {}
  void report_task(const TaskResult&) override {}
  void report_suite(const SuiteSummary&) override {}
  void finalize(const nlohmann::json& results) override { write_file_atomically(path_, results.dump(2) + "\n"); }

 private:
  std::string path_;
};

}  // namespace

// A task whose primary metric has no score makes the average null: leaving it out would rank the
// run on the other tasks as if it had been scored on all of them.
SuiteSummary summarize_suite(const std::vector<TaskResult>& tasks) {
  SuiteSummary s;
  double weighted = 0, weights = 0;
  for (const auto& t : tasks) {
    s.primary.emplace_back(t.task, t.primary_value);
    if (t.primary_transform != "identity") s.transforms.emplace_back(t.task, t.primary_transform);
    if (std::isfinite(t.primary_value)) {
      weighted += t.weight * t.primary_value;
      weights += t.weight;
      continue;
    }
    std::string why = "the primary metric has no score";
    for (const auto& m : t.metrics)
      if (m.id == t.primary_metric && !m.null_reason.empty()) why = m.null_reason;
    s.null_reason += (s.null_reason.empty() ? "" : "; ") + t.task + " (" + t.primary_metric + "): " + why;
  }
  if (tasks.empty()) s.null_reason = "no task was scored";
  s.score = s.null_reason.empty() && weights > 0 ? 100.0 * weighted / weights : std::nan("");
  if (s.null_reason.empty() && !(weights > 0)) s.null_reason = "every task has weight 0";
  return s;
}

nlohmann::json results_json(const nlohmann::json& context, const std::vector<TaskResult>& tasks,
                            const SuiteSummary& suite) {
  nlohmann::json tj = nlohmann::json::object();
  for (const auto& t : tasks) tj[t.task] = task_json(t);
  nlohmann::json primary = nlohmann::json::object();
  for (const auto& [task, v] : suite.primary) primary[task] = number_or_null(v);
  nlohmann::json transforms = nlohmann::json::object();
  for (const auto& [task, tr] : suite.transforms) transforms[task] = tr;
  nlohmann::json summary = {{"score", number_or_null(suite.score)},
                            {"primary", std::move(primary)},
                            {"signature", "weighted-mean(primary)x100|error-metrics:1-min(1,x)|v1"},
                            {"transforms", std::move(transforms)}};
  if (suite.ci95) summary["ci95"] = {number_or_null((*suite.ci95)[0]), number_or_null((*suite.ci95)[1])};
  if (!suite.null_reason.empty()) summary["null_reason"] = suite.null_reason;
  return {{"schema_version", kResultsSchemaVersion},
          {"context", context},
          {"tasks", std::move(tj)},
          {"suite", std::move(summary)}};
}

nlohmann::json base_context(const std::string& suite_name, const std::string& suite_sha256,
                            const std::string& backend, const std::string& device,
                            const nlohmann::json& config) {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return {{"tool_version", kToolVersion}, {"git_sha", kGitSha},
          {"date", date},                      {"suite", suite_name},
          {"suite_sha256", suite_sha256},      {"backend", backend},
          {"device", device},                  {"build_type", kBuildType},
          {"config", config}};
}

void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  fs::path target(path);
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write (is the folder writable?)");
    out << text;
    out.flush();
    if (!out) throw Error(path + ": write failed (disk full?)");
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) throw Error(path + ": cannot move the finished file into place: " + ec.message());
}

void report_to_sinks(const std::vector<std::unique_ptr<ResultSink>>& sinks, const nlohmann::json& context,
                     const std::vector<TaskResult>& tasks, const SuiteSummary& summary) {
  report_to_sinks(sinks, context, tasks, summary, results_json(context, tasks, summary));
}

void report_to_sinks(const std::vector<std::unique_ptr<ResultSink>>& sinks, const nlohmann::json& context,
                     const std::vector<TaskResult>& tasks, const SuiteSummary& summary,
                     const nlohmann::json& results) {
  for (const auto& sink : sinks) {
    sink->report_context(context);
    for (const auto& t : tasks) sink->report_task(t);
    sink->report_suite(summary);
    sink->finalize(results);
  }
}

std::unique_ptr<ResultSink> make_json_file_sink(const std::string& path) {
  return std::make_unique<JsonFileSink>(path);
}

}  // namespace imaxbench
