// Where results go (google/benchmark's reporters): console table, JSON file, leaderboard. Each
// sink sees the run context, then each task, then the suite summary, then finalize with the
// results document, which report_to_sinks builds once for all of them.
#pragma once

#include <array>
#include <optional>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/task_result.h"

namespace imaxbench {

struct SuiteSummary {
  double score = 0;  // weighted mean of primary values x 100; NaN when a task's primary is null
  std::string null_reason;  // why score is NaN: which tasks had no primary score
  std::vector<std::pair<std::string, double>> primary;  // task -> primary value entering the mean
  std::vector<std::pair<std::string, std::string>> transforms;  // task -> transform, when not identity
  std::optional<std::array<double, 2>> ci95;  // the average's 95% interval, when bootstrapped
};

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void report_context(const nlohmann::json& context) = 0;
  virtual void report_task(const TaskResult& task) = 0;
  virtual void report_suite(const SuiteSummary& suite) = 0;
  virtual void finalize(const nlohmann::json& results) = 0;  // the document results_json builds
};

SuiteSummary summarize_suite(const std::vector<TaskResult>& tasks);

// The results document (docs/formats.md §5) for the given pieces.
nlohmann::json results_json(const nlohmann::json& context, const std::vector<TaskResult>& tasks,
                            const SuiteSummary& suite);

// The context block every results file carries: tool version, git sha, date, suite and hash.
nlohmann::json base_context(const std::string& suite_name, const std::string& suite_sha256,
                            const std::string& backend, const std::string& device,
                            const nlohmann::json& config);

// Hands context, every task and the summary to each sink, then finalizes them with the results
// document (built once).
void report_to_sinks(const std::vector<std::unique_ptr<ResultSink>>& sinks, const nlohmann::json& context,
                     const std::vector<TaskResult>& tasks, const SuiteSummary& summary);
// The same with the document already built from those pieces (`profile` embeds it too).
void report_to_sinks(const std::vector<std::unique_ptr<ResultSink>>& sinks, const nlohmann::json& context,
                     const std::vector<TaskResult>& tasks, const SuiteSummary& summary,
                     const nlohmann::json& results);

std::unique_ptr<ResultSink> make_json_file_sink(const std::string& path);
std::unique_ptr<ResultSink> make_console_sink(std::ostream& out);

// Writes `text` to `path` through a temporary file and rename, so a reader never sees half a file.
void write_file_atomically(const std::string& path, const std::string& text);

constexpr int kResultsSchemaVersion = 1;

}  // namespace imaxbench
