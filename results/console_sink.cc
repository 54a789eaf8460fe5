// The console table: one block per task with its sample counts and every metric (primary marked
// with *), then the multi-task average.
#include <cmath>
#include <cstdio>
#include <string>

#include "core/sha256.h"
#include "results/result_sink.h"

namespace imaxbench {

namespace {

std::string fmt(double v, const char* spec = "%.4f") {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

class ConsoleSink : public ResultSink {
 public:
  explicit ConsoleSink(std::ostream& out) : out_(out) {}

  void report_context(const nlohmann::json& c) override {
    out_ << "suite " << c.value("suite", "?") << " (sha256 " << short_sha256(c.value("suite_sha256", ""))
         << ")  backend " << c.value("backend", "?") << "  device " << c.value("device", "?") << "\n\n";
    line("task", "total", "scored", "miss", "unpars", "fail", "inval", "metric", "score", "95% CI");
    out_ << std::string(118, '-') << "\n";
  }

  void report_task(const TaskResult& t) override {
    bool first = true;
    for (const auto& m : t.metrics) {
      std::string ci = m.ci95 ? "[" + fmt((*m.ci95)[0]) + ", " + fmt((*m.ci95)[1]) + "]" : "";
      std::string name = m.id + (m.id == t.primary_metric ? " *" : "");
      if (!m.null_reason.empty()) nulls_.push_back(t.task + " " + m.id + ": " + m.null_reason);
      if (first)
        line(t.task, std::to_string(t.counts.total), std::to_string(t.counts.scored),
             std::to_string(t.counts.missing), std::to_string(t.counts.unparsed),
             std::to_string(t.counts.failed), std::to_string(t.counts.invalid), name, fmt(m.score), ci);
      else
        line("", "", "", "", "", "", "", name, fmt(m.score), ci);
      first = false;
    }
    for (const auto& p : t.problems) problems_.push_back(p);
  }

  void report_suite(const SuiteSummary& s) override {
    out_ << std::string(118, '-') << "\n";
    for (const auto& [task, transform] : s.transforms)
      out_ << "  " << task << " enters the average as " << transform << "\n";
    out_ << "Multi-task average (primary metrics x100, * above): " << fmt(s.score, "%.2f") << "\n";
    if (!s.null_reason.empty()) out_ << "  no average: " << s.null_reason << "\n";
  }

  void finalize(const nlohmann::json&) override {
    if (!nulls_.empty()) out_ << "\nn/a (no score):\n";
    for (const auto& n : nulls_) out_ << "  " << n << "\n";
    if (problems_.empty()) return;
    out_ << "\n" << problems_.size() << (problems_.size() == 1 ? " invalid record" : " invalid records")
         << " (not scored; first shown per task):\n";
    for (const auto& p : problems_) out_ << "  " << p << "\n";
  }

 private:
  void line(const std::string& task, const std::string& total, const std::string& scored,
            const std::string& miss, const std::string& unparsed, const std::string& failed,
            const std::string& invalid, const std::string& metric, const std::string& score,
            const std::string& ci) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%-26s %6s %6s %5s %6s %5s %6s  %-26s %9s  %s\n", task.c_str(),
                  total.c_str(), scored.c_str(), miss.c_str(), unparsed.c_str(), failed.c_str(),
                  invalid.c_str(), metric.c_str(), score.c_str(), ci.c_str());
    out_ << buf;
  }

  std::ostream& out_;
  std::vector<std::string> problems_;
  std::vector<std::string> nulls_;  // "task metric: why it has no score"
};

}  // namespace

std::unique_ptr<ResultSink> make_console_sink(std::ostream& out) {
  return std::make_unique<ConsoleSink>(out);
}

}  // namespace imaxbench
