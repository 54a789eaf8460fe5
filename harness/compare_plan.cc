#include "harness/compare_plan.h"

#include <unordered_map>

#include "core/error.h"

namespace imaxbench {

namespace {

Pairing pair_samples(const std::vector<const Sample*>& a, const std::vector<Sample>& b, bool by_image,
                     TaskComparison& tc) {
  std::unordered_map<std::string, std::uint32_t> in_b;
  for (std::uint32_t i = 0; i < b.size(); ++i) in_b.emplace(b[i].id, i);
  Pairing p;
  for (std::uint32_t i = 0; i < a.size(); ++i) {
    auto it = in_b.find(a[i]->id);
    if (it == in_b.end()) continue;
    p.ia.push_back(i);
    p.ib.push_back(it->second);
    p.keys.push_back(by_image ? a[i]->image_id : a[i]->id);
  }
  tc.n_common = p.ia.size();
  tc.n_only_a = a.size() - p.ia.size();
  tc.n_only_b = b.size() - p.ib.size();
  return p;
}

}  // namespace

ComparePlan plan_comparison(const std::vector<TaskEvaluation>& a, const LoadedSuite& b, bool cluster_by_image,
                            const std::string& b_name) {
  ComparePlan out;
  AveragePlan& avg = out.average;
  for (const TaskEvaluation& ea : a) {
    const SuiteTask& st = *ea.suite_task;
    TaskPlan plan;
    plan.b_task = b.suite.tasks.size();
    for (std::size_t k = 0; k < b.suite.tasks.size(); ++k)
      if (b.suite.tasks[k].task == st.task) plan.b_task = k;
    if (plan.b_task == b.suite.tasks.size()) throw Error(b_name + ": its suite has no task " + st.task);
    const SuiteTask& stb = b.suite.tasks[plan.b_task];
    plan.split_sha_b = b.splits[plan.b_task].sha256;
    plan.tc.task = st.task;
    plan.tc.primary_metric = st.primary_metric;
    plan.tc.weight = st.weight;
    plan.pairing = pair_samples(ea.samples, b.splits[plan.b_task].samples, cluster_by_image, plan.tc);
    for (std::size_t m = 0; m < st.metrics.size(); ++m) {
      std::size_t mb = std::string::npos;
      for (std::size_t k = 0; k < stb.metrics.size(); ++k)
        if (stb.metrics[k].id == st.metrics[m].id) mb = k;
      plan.metric_b.push_back(mb);
      if (mb == std::string::npos) continue;
      if (st.metrics[m].id == st.primary_metric) plan.primary = plan.compared.size();
      plan.compared.push_back(m);
    }
    if (plan.primary != std::string::npos) {
      for (std::uint32_t j = 0; j < plan.pairing.keys.size(); ++j) {
        avg.keys.push_back(plan.pairing.keys[j]);
        avg.task_of.push_back(static_cast<std::uint32_t>(avg.tasks.size()));
        avg.local.push_back(j);
      }
      avg.tasks.push_back(out.tasks.size());
    }
    out.tasks.push_back(std::move(plan));
  }
  return out;
}

}  // namespace imaxbench
