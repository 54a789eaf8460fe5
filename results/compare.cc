#include "results/compare.h"

#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/sha256.h"

namespace imaxbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const nlohmann::json& tasks_of(const nlohmann::json& results) { return results.at("tasks"); }

}  // namespace

std::vector<std::string> common_tasks(const nlohmann::json& a, const nlohmann::json& b,
                                      std::vector<std::string>& notes) {
  std::vector<std::string> common;
  for (const auto& [task, _] : tasks_of(a).items()) {
    if (tasks_of(b).contains(task)) common.push_back(task);
    else notes.push_back("task " + task + " is only in A; not compared");
  }
  for (const auto& [task, _] : tasks_of(b).items())
    if (!tasks_of(a).contains(task)) notes.push_back("task " + task + " is only in B; not compared");
  return common;
}


std::vector<std::string> comparability_differences(const nlohmann::json& a, const nlohmann::json& b) {
  std::vector<std::string> out;
  for (const auto& [task, ta] : tasks_of(a).items()) {
    if (!tasks_of(b).contains(task)) continue;
    const auto& tb = tasks_of(b)[task];
    const std::string sa = ta.value("split_sha256", std::string()), sb = tb.value("split_sha256", std::string());
    if (sa != sb)
      out.push_back("task " + task + ": split data differ (split_sha256 A " + short_sha256(sa) + ", B " + short_sha256(sb) + ")");
    const auto ma = ta.value("metrics", nlohmann::json::object()), mb = tb.value("metrics", nlohmann::json::object());
    for (const auto& [id, m] : ma.items()) {
      if (!mb.contains(id)) continue;
      const std::string ga = m.value("signature", std::string()), gb = mb[id].value("signature", std::string());
      if (ga != gb) out.push_back("task " + task + ": metric " + id + " signature differs: A '" + ga + "', B '" + gb + "'");
    }
  }
  return out;
}

ComparisonReport begin_comparison(const RunSource& a, const RunSource& b) {
  ComparisonReport r;
  r.label_a = a.label;
  r.label_b = b.label;
  r.context_a = a.results["context"];
  r.context_b = b.results["context"];
  r.differences = comparability_differences(a.results, b.results);
  return r;
}

ComparisonReport compare_recorded(const RunSource& a, const RunSource& b) {
  ComparisonReport r = begin_comparison(a, b);
  r.rescored = false;
  auto number = [](const nlohmann::json& j) { return j.is_number() ? j.get<double>() : kNaN; };
  for (const auto& task : common_tasks(a.results, b.results, r.notes)) {
    const auto& ta = tasks_of(a.results)[task];
    const auto& tb = tasks_of(b.results)[task];
    TaskComparison tc;
    tc.task = task;
    tc.primary_metric = ta.value("primary_metric", std::string());
    const auto ma = ta.value("metrics", nlohmann::json::object()), mb = tb.value("metrics", nlohmann::json::object());
    for (const auto& [id, m] : ma.items()) {
      if (!mb.contains(id)) {
        r.notes.push_back("task " + task + ": metric " + id + " is only in A");
        continue;
      }
      MetricComparison mc;
      mc.id = id;
      mc.signature = m.value("signature", std::string());
      mc.higher_is_better = m.value("higher_is_better", true);
      mc.is_primary = id == tc.primary_metric;
      mc.paired.a = number(m.value("score", nlohmann::json()));
      mc.paired.b = number(mb[id].value("score", nlohmann::json()));
      mc.paired.delta = mc.paired.b - mc.paired.a;
      mc.paired.ci95 = {kNaN, kNaN};
      mc.paired.p_value = kNaN;
      tc.metrics.push_back(std::move(mc));
    }
    for (const auto& [id, m] : mb.items())
      if (!ma.contains(id)) r.notes.push_back("task " + task + ": metric " + id + " is only in B");
    r.tasks.push_back(std::move(tc));
  }
  auto suite_score = [&](const nlohmann::json& res) {
    return res.contains("suite") ? number(res["suite"].value("score", nlohmann::json())) : kNaN;
  };
  PairedResult avg;
  avg.a = suite_score(a.results);
  avg.b = suite_score(b.results);
  avg.delta = avg.b - avg.a;
  avg.ci95 = {kNaN, kNaN};
  avg.p_value = kNaN;
  r.average = avg;
  return r;
}

}  // namespace imaxbench
