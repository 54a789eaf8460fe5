// The regression gate of `imaxbench compare` (declared in compare.h).
#include <cmath>
#include <cstdio>

#include "results/compare.h"
#include "core/error.h"

namespace imaxbench {

namespace {

std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", decimals, v);
  return buf;
}

bool changed(double a, double b, double tolerance) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) != std::isnan(b);
  return std::abs(b - a) > tolerance;
}

}  // namespace

GateOutcome evaluate_gate(const ComparisonReport& r, const GateOptions& g) {
  GateOutcome out;
  if (!g.gate_tasks.empty() && !g.fail_if_worse)
    throw UsageError("--gate-tasks needs --fail-if-worse DELTA (how large a drop fails)");
  if (g.fail_if_worse) {
    if (!r.rescored)
      throw UsageError("--fail-if-worse needs paired resampling of the answers; it cannot be used with --no-rescore");
    const double delta = *g.fail_if_worse;
    auto check = [&](const std::string& what, const PairedResult& p) {
      if (!(p.delta < -delta) || !p.has_ci || !(p.p_value < r.alpha)) return;
      out.failed = true;
      out.reasons.push_back(what + ": B-A = " + num(p.delta, 2) + " points (95% CI [" + num(p.ci95[0], 2) + ", " +
                            num(p.ci95[1], 2) + "], p = " + num(p.p_value, 4).substr(1) +
                            ") is significantly worse than -" + num(delta, 2).substr(1));
    };
    if (r.average) check("multi-task average", *r.average);
    for (const auto& name : g.gate_tasks) {
      const TaskComparison* found = nullptr;
      for (const auto& t : r.tasks) if (t.task == name) found = &t;
      if (!found) throw UsageError("--gate-tasks: task '" + name + "' is not in both runs");
      if (!found->primary_points)
        throw UsageError("--gate-tasks: task '" + name + "': its primary metric is not in both runs");
      check("task " + name + " (" + found->primary_metric + ")", *found->primary_points);
    }
  }
  if (g.fail_if_changed) {
    for (const auto& d : r.differences) {
      out.failed = true;
      out.reasons.push_back("changed: " + d);
    }
    for (const auto& t : r.tasks)
      for (const auto& m : t.metrics)
        if (changed(m.paired.a, m.paired.b, *g.fail_if_changed)) {
          out.failed = true;
          out.reasons.push_back("changed: task " + t.task + ": metric " + m.id + " " + std::to_string(m.paired.a) +
                                " -> " + std::to_string(m.paired.b));
        }
    if (r.average && changed(r.average->a, r.average->b, *g.fail_if_changed)) {
      out.failed = true;
      out.reasons.push_back("changed: multi-task average " + std::to_string(r.average->a) + " -> " +
                            std::to_string(r.average->b));
    }
  }
  return out;
}

}  // namespace imaxbench
