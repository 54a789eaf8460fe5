#include "harness/compare_runs.h"

#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <unordered_map>

#include "core/error.h"
#include "core/sha256.h"
#include "harness/answer_conventions.h"
#include "harness/average_interval.h"
#include "harness/evaluate.h"
#include "harness/score_suite.h"
#include "metrics/resample_scorer.h"

namespace imaxbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Side {
  LoadedSuite loaded;
  std::vector<TaskEvaluation> evals;  // point into `loaded`, which therefore never moves
};

std::unique_ptr<Side> evaluate_side(const RunSource& src, const std::string& which,
                                    const std::vector<std::string>& tasks, const CompareOptions& o,
                                    std::vector<std::string>& differences) {
  auto side = std::make_unique<Side>();
  std::string csv;
  for (const auto& t : tasks) csv += (csv.empty() ? "" : ",") + t;
  try {
    side->loaded = load_suite_splits(src.suite_path, csv, o.split);
  } catch (const UsageError& e) {
    throw Error(which + " (" + src.label + "): its results have tasks the suite file " + src.suite_path +
                " lacks: " + e.what() + "; pass --suite with the suite the run used");
  }
  // The model's answer conventions (box format, input geometry) as the run recorded them.
  const nlohmann::json* config = src.results.contains("context") && src.results["context"].contains("config")
                                     ? &src.results["context"]["config"]
                                     : nullptr;
  if (config) apply_recorded_conventions(side->loaded.suite, *config);
  for (std::size_t i = 0; i < side->loaded.suite.tasks.size(); ++i) {
    const SuiteTask& st = side->loaded.suite.tasks[i];
    const SplitData& split = side->loaded.splits[i];
    const std::string recorded = src.results.at("tasks")[st.task].value("split_sha256", std::string());
    if (!recorded.empty() && recorded != split.sha256)
      differences.push_back(which + ": task " + st.task + ": split file " + split.path + " changed since the run (results say sha256 " +
                            short_sha256(recorded) + ", the file now has " + short_sha256(split.sha256) + ")");
    side->evals.push_back(compute_task(st, split, &src.answers));
  }
  // From here on compare reads a side's metric rows, and its samples' ids and image ids only; the
  // parsed answers and the references' text go (about 1 KB a report), as the side is held until
  // the comparison ends.
  for (TaskEvaluation& eval : side->evals) std::vector<Prediction>().swap(eval.predictions);
  for (SplitData& split : side->loaded.splits)
    for (Sample& s : split.samples) std::vector<std::string>().swap(s.ref_texts);
  return side;
}

// Indices of the samples both runs answered-or-not on, in A's order, and their cluster keys.
struct Pairing {
  std::vector<std::uint32_t> ia, ib;
  std::vector<std::string> keys;
};

Pairing pair_samples(const TaskEvaluation& a, const TaskEvaluation& b, bool by_image, TaskComparison& tc) {
  std::unordered_map<std::string, std::uint32_t> in_b;
  for (std::uint32_t i = 0; i < b.samples.size(); ++i) in_b.emplace(b.samples[i]->id, i);
  Pairing p;
  for (std::uint32_t i = 0; i < a.samples.size(); ++i) {
    auto it = in_b.find(a.samples[i]->id);
    if (it == in_b.end()) continue;
    p.ia.push_back(i);
    p.ib.push_back(it->second);
    p.keys.push_back(by_image ? a.samples[i]->image_id : a.samples[i]->id);
  }
  tc.n_common = p.ia.size();
  tc.n_only_a = a.samples.size() - p.ia.size();
  tc.n_only_b = b.samples.size() - p.ib.size();
  return p;
}

// Subsets of the common samples (indices into `map`) as indices into one side's rows.
std::vector<std::vector<std::uint32_t>> map_subsets(std::span<const std::span<const std::uint32_t>> subsets,
                                                    auto&& map_index) {
  std::vector<std::vector<std::uint32_t>> real(subsets.size());
  for (std::size_t k = 0; k < subsets.size(); ++k) {
    real[k].reserve(subsets[k].size());
    for (std::uint32_t i : subsets[k]) map_index(k, i, real);
  }
  return real;
}

std::vector<std::span<const std::uint32_t>> spans_of(const std::vector<std::vector<std::uint32_t>>& v) {
  return {v.begin(), v.end()};
}

// One side's metric on subsets of the common samples, scored by the metric's resample scorer
// (laid out once here: CIDEr-D's n-gram layout serves every resample).
BatchScore mapped(const Metric& metric, const MetricRows& rows, const std::vector<std::uint32_t>& map) {
  std::shared_ptr<const ResampleScorer> scorer = metric.resample_scorer(rows);
  // The usual case, both runs answered every sample of the split: the indices are the rows'.
  bool identity = true;
  for (std::uint32_t i = 0; i < map.size() && identity; ++i) identity = map[i] == i;
  if (identity)
    return [scorer](std::span<const std::span<const std::uint32_t>> subsets, std::span<double> out) {
      scorer->score(subsets, out);
    };
  return [&map, scorer](std::span<const std::span<const std::uint32_t>> subsets, std::span<double> out) {
    const auto real = map_subsets(subsets, [&](std::size_t k, std::uint32_t i, auto& r) { r[k].push_back(map[i]); });
    scorer->score(spans_of(real), out);
  };
}

void note_rescore_drift(const std::string& which, const std::string& task, const std::string& id,
                        const Metric& metric, const MetricRows& rows, const nlohmann::json& recorded,
                        std::vector<std::string>& notes) {
  auto m = recorded.find("metrics");
  if (m == recorded.end() || !m->contains(id) || !(*m)[id]["score"].is_number()) return;
  const double was = (*m)[id]["score"].get<double>();
  std::vector<std::uint32_t> all(rows.size());
  std::iota(all.begin(), all.end(), 0u);
  const double now = score_if_eligible(metric, rows, all);
  if (std::abs(now - was) > 1e-9 * std::max(1.0, std::abs(was)))
    notes.push_back(which + ": " + task + "/" + id + " re-scores to " + std::to_string(now) + " but its results say " +
                    std::to_string(was) + " (metric code or answers changed since the run); re-scored values are used");
}

}  // namespace

ComparisonReport compare_runs(const RunSource& a, const RunSource& b, const CompareOptions& o) {
  ComparisonReport r = begin_comparison(a, b);
  r.bootstrap = o.bootstrap;
  r.alpha = o.alpha;
  const auto tasks = common_tasks(a.results, b.results, r.notes);
  if (tasks.empty()) throw Error(a.label + " and " + b.label + " have no task in common");
  auto sa = evaluate_side(a, "A", tasks, o, r.differences);
  auto sb = evaluate_side(b, "B", tasks, o, r.differences);

  // Everything the multi-task average needs per task, and one global cluster list over tasks:
  // one image answers questions of several tasks, so its samples are drawn together.
  struct AvgTask { const Metric *ma, *mb; const MetricRows *ra, *rb; const Pairing* pairing; std::string id; double weight; std::string task; };
  std::vector<AvgTask> avg;
  std::vector<Pairing> pairings;
  pairings.reserve(sa->evals.size());  // lambdas keep references into it: no reallocation
  std::vector<std::string> global_keys;
  std::vector<std::uint32_t> g_task, g_local;

  for (std::size_t t = 0; t < sa->evals.size(); ++t) {
    const TaskEvaluation& ea = sa->evals[t];
    const SuiteTask& st = *ea.suite_task;
    const TaskEvaluation* eb = nullptr;
    for (const auto& e : sb->evals) if (e.suite_task->task == st.task) eb = &e;
    if (!eb) throw Error("B (" + b.label + "): its suite has no task " + st.task);
    TaskComparison tc;
    tc.task = st.task;
    tc.primary_metric = st.primary_metric;
    tc.weight = st.weight;
    pairings.push_back(pair_samples(ea, *eb, o.bootstrap.cluster_by_image, tc));
    const Pairing& p = pairings.back();
    if (tc.n_only_a || tc.n_only_b)
      r.notes.push_back("task " + st.task + ": " + std::to_string(tc.n_common) + " samples in both runs, " +
                        std::to_string(tc.n_only_a) + " only in A, " + std::to_string(tc.n_only_b) + " only in B");
    Resampler resampler(p.keys);
    // The metrics both suites have, compared over the same resamples, each drawn once per side.
    struct Compared {
      const Metric *a, *b;
      const MetricRows *rows_a, *rows_b;
      MetricComparison mc;
      PointsTransform to_points;
    };
    std::vector<Compared> compared;
    for (std::size_t m = 0; m < st.metrics.size(); ++m) {
      const std::string& id = st.metrics[m].id;
      std::size_t mb = eb->suite_task->metrics.size();
      for (std::size_t k = 0; k < eb->suite_task->metrics.size(); ++k)
        if (eb->suite_task->metrics[k].id == id) mb = k;
      if (mb == eb->suite_task->metrics.size()) {
        r.notes.push_back("task " + st.task + ": metric " + id + " is only in A's suite; not compared");
        continue;
      }
      const Metric& metric_a = *ea.metrics[m];
      const Metric& metric_b = *eb->metrics[mb];
      note_rescore_drift("A", st.task, id, metric_a, ea.rows[m], a.results.at("tasks")[st.task], r.notes);
      note_rescore_drift("B", st.task, id, metric_b, eb->rows[mb], b.results.at("tasks")[st.task], r.notes);
      if (metric_a.signature() != metric_b.signature())
        r.differences.push_back("task " + st.task + ": metric " + id + " is computed differently by the two suites: A '" +
                                metric_a.signature() + "', B '" + metric_b.signature() + "'");
      Compared c{&metric_a, &metric_b, &ea.rows[m], &eb->rows[mb], {}, {}};
      c.mc.id = id;
      c.mc.signature = metric_a.signature();
      c.mc.higher_is_better = metric_a.higher_is_better();
      c.mc.is_primary = id == st.primary_metric;
      // The primary metric's comparison in suite points comes from the same resampled scores.
      c.to_points = {[&metric_a, id](double v) { return primary_points(metric_a, id, v); },
                     [&metric_b, id](double v) { return primary_points(metric_b, id, v); }};
      compared.push_back(std::move(c));
    }
    // One side's scorers at a time: CIDEr-D's layouts of the two runs are never held together.
    std::vector<PairedSides> sides;
    for (const Compared& c : compared)
      sides.push_back({[&c, &p] { return mapped(*c.a, *c.rows_a, p.ia); },
                       [&c, &p] { return mapped(*c.b, *c.rows_b, p.ib); },
                       c.mc.is_primary ? &c.to_points : nullptr});
    const auto paired = paired_bootstrap_sides(sides, resampler, o.bootstrap);
    for (std::size_t k = 0; k < compared.size(); ++k) {
      Compared& c = compared[k];
      MetricComparison& mc = c.mc;
      mc.paired = paired[k].first;
      auto oa = binary_outcomes(*c.a, *c.rows_a, p.ia);
      auto ob = oa ? binary_outcomes(*c.b, *c.rows_b, p.ib) : std::nullopt;
      if (oa && ob) mc.mcnemar = mcnemar(*oa, *ob);
      if (mc.is_primary) {
        tc.primary_points = paired[k].second;
        primary_points(*c.a, mc.id, 0, &tc.primary_transform);
        avg.push_back({c.a, c.b, c.rows_a, c.rows_b, &p, mc.id, st.weight, st.task});
        for (std::uint32_t j = 0; j < p.keys.size(); ++j) {
          global_keys.push_back(p.keys[j]);
          g_task.push_back(static_cast<std::uint32_t>(avg.size() - 1));
          g_local.push_back(j);
        }
      }
      tc.metrics.push_back(std::move(mc));
    }
    r.tasks.push_back(std::move(tc));
  }

  // As in a results file, a task whose primary metric has no score on the common samples makes
  // the average null rather than letting the other tasks stand in for it.
  std::string null_tasks;
  for (const AvgTask& t : avg)
    if (std::isnan(score_if_eligible(*t.ma, *t.ra, t.pairing->ia)) ||
        std::isnan(score_if_eligible(*t.mb, *t.rb, t.pairing->ib)))
      null_tasks += (null_tasks.empty() ? "" : ", ") + t.task + " (" + t.id + ")";
  if (!null_tasks.empty()) {
    r.notes.push_back("no multi-task average: no primary score on the common samples for " + null_tasks);
    avg.clear();
  }
  // One task of weight 1: the average is that task's primary metric in points, compared already
  // on the same resamples ((1 x v) / 1 is v exactly); resampling it again would repeat that work.
  if (avg.size() == 1 && avg[0].weight == 1.0) {
    for (const TaskComparison& tc : r.tasks)
      if (tc.task == avg[0].task) r.average = tc.primary_points;
  } else if (!avg.empty()) {
    auto average = [&](bool side_b) -> BatchScore {
      std::vector<std::shared_ptr<const ResampleScorer>> scorers;
      for (const AvgTask& t : avg) scorers.push_back(side_b ? t.mb->resample_scorer(*t.rb) : t.ma->resample_scorer(*t.ra));
      return [&, side_b, scorers](std::span<const std::span<const std::uint32_t>> subsets, std::span<double> out) {
        std::vector<double> sum(subsets.size(), 0.0), weights(subsets.size(), 0.0), score(subsets.size());
        for (std::size_t t = 0; t < avg.size(); ++t) {
          const Pairing& p = *avg[t].pairing;
          const auto per = map_subsets(subsets, [&](std::size_t k, std::uint32_t g, auto& r) {
            if (g_task[g] == t) r[k].push_back(side_b ? p.ib[g_local[g]] : p.ia[g_local[g]]);
          });
          scorers[t]->score(spans_of(per), score);
          const Metric& m = side_b ? *avg[t].mb : *avg[t].ma;
          for (std::size_t k = 0; k < subsets.size(); ++k) {
            const double v = primary_points(m, avg[t].id, score[k]);
            if (std::isnan(v)) continue;
            sum[k] += avg[t].weight * v;
            weights[k] += avg[t].weight;
          }
        }
        for (std::size_t k = 0; k < subsets.size(); ++k) out[k] = weights[k] > 0 ? sum[k] / weights[k] : kNaN;
      };
    };
    Resampler global(global_keys);
    r.average = paired_bootstrap_sides([&] { return average(false); }, [&] { return average(true); }, global,
                                       o.bootstrap, nullptr)
                    .first;
  }
  return r;
}

}  // namespace imaxbench
