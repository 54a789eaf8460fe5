#include "harness/compare_runs.h"

#include <malloc.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <numeric>

#include "core/error.h"
#include "core/sha256.h"
#include "harness/answer_conventions.h"
#include "harness/average_interval.h"
#include "harness/compare_plan.h"
#include "harness/evaluate.h"
#include "harness/score_suite.h"
#include "harness/stage_progress.h"
#include "metrics/resample_scorer.h"

namespace imaxbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Freed small blocks (answers, reference texts, samples) stay in malloc's arenas, where the
// large blocks that come next (a resampling layout, mapped on its own) never reuse them: about
// 70 MB a side at 100,000 reports, handed back here.
void return_freed_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

struct Side {
  LoadedSuite loaded;
  std::vector<TaskEvaluation> evals;  // point into `loaded`, which therefore never moves
};

LoadedSuite load_side(const RunSource& src, const std::string& which, const std::vector<std::string>& tasks,
                      const CompareOptions& o) {
  std::string csv;
  for (const auto& t : tasks) csv += (csv.empty() ? "" : ",") + t;
  try {
    return load_suite_splits(src.suite_path, csv, o.split);
  } catch (const UsageError& e) {
    throw Error(which + " (" + src.label + "): its results have tasks the suite file " + src.suite_path +
                " lacks: " + e.what() + "; pass --suite with the suite the run used");
  }
}

// The side's rows; the run's answers are freed once parsed.
std::unique_ptr<Side> evaluate_side(RunSource& src, const std::string& which,
                                    const std::vector<std::string>& tasks, const CompareOptions& o,
                                    std::vector<std::string>& differences) {
  auto side = std::make_unique<Side>();
  if (o.progress) o.progress->stage(which + ": reading " + src.suite_path);
  side->loaded = load_side(src, which, tasks, o);
  // The model's answer conventions (box format, input geometry) as the run recorded them.
  const nlohmann::json* config = src.results.contains("context") && src.results["context"].contains("config")
                                     ? &src.results["context"]["config"]
                                     : nullptr;
  if (config) apply_recorded_conventions(side->loaded.suite, *config);
  for (std::size_t i = 0; i < side->loaded.suite.tasks.size(); ++i) {
    const SuiteTask& st = side->loaded.suite.tasks[i];
    const SplitData& split = side->loaded.splits[i];
    if (o.progress) o.progress->stage(which + ": " + st.task + ": scoring " + std::to_string(split.samples.size()) + " samples");
    const std::string recorded = src.results.at("tasks")[st.task].value("split_sha256", std::string());
    if (!recorded.empty() && recorded != split.sha256)
      differences.push_back(which + ": task " + st.task + ": split file " + split.path + " changed since the run (results say sha256 " +
                            short_sha256(recorded) + ", the file now has " + short_sha256(split.sha256) + ")");
    side->evals.push_back(compute_task(st, split, &src.answers));
  }
  // From here on compare reads a side's metric rows, and its samples' ids and image ids only; the
  // parsed answers and the references' text go (about 1 KB a report).
  for (TaskEvaluation& eval : side->evals) std::vector<Prediction>().swap(eval.predictions);
  for (SplitData& split : side->loaded.splits)
    for (Sample& s : split.samples) std::vector<std::string>().swap(s.ref_texts);
  src.answers = AnswerSet{};
  return_freed_memory();
  return side;
}

// Once a side's samples are paired, scoring reads its metric rows alone.
void drop_samples(Side& side) {
  for (TaskEvaluation& eval : side.evals) std::vector<const Sample*>().swap(eval.samples);
  for (SplitData& split : side.loaded.splits) std::vector<Sample>().swap(split.samples);
  return_freed_memory();
}

// Once a side is scored only its suite and metrics are read (signatures, directions, points).
void drop_rows(Side& side) {
  for (TaskEvaluation& eval : side.evals) std::vector<MetricRows>().swap(eval.rows);
  return_freed_memory();
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

std::optional<std::string> rescore_drift(const std::string& which, const std::string& task, const std::string& id,
                                        const Metric& metric, const MetricRows& rows, const nlohmann::json& recorded) {
  auto m = recorded.find("metrics");
  if (m == recorded.end() || !m->contains(id) || !(*m)[id]["score"].is_number()) return std::nullopt;
  const double was = (*m)[id]["score"].get<double>();
  std::vector<std::uint32_t> all(rows.size());
  std::iota(all.begin(), all.end(), 0u);
  const double now = score_if_eligible(metric, rows, all);
  if (!(std::abs(now - was) > 1e-9 * std::max(1.0, std::abs(was)))) return std::nullopt;
  return which + ": " + task + "/" + id + " re-scores to " + std::to_string(now) + " but its results say " +
         std::to_string(was) + " (metric code or answers changed since the run); re-scored values are used";
}

// One side's share of a task: per compared metric its scores, 0/1 outcomes and re-scoring drift.
struct SideTask {
  std::vector<SideScores> scores;
  std::vector<std::optional<std::vector<std::int8_t>>> outcomes;
  std::vector<std::optional<std::string>> drift;
  // The primary metric's score on the common samples (NaN: the average is null).
  double primary_score(const TaskPlan& plan) const { return scores[plan.primary].whole; }
};
struct SideResult {
  std::vector<SideTask> tasks;
  std::optional<SideScores> average;
};

// Scores one side (its rows are then no longer needed): every task's compared metrics over the
// task's resamples, then the average over the global ones. `other` is side A's result when this is
// side B: B's 0/1 outcomes are looked for only where A's exist, and its average is skipped when
// A's is already null.
SideResult score_compared_side(const Side& side, bool side_b, const RunSource& src, const std::vector<TaskPlan>& plans,
                               const AveragePlan& avg, const BootstrapOptions& bootstrap, StageProgress* progress,
                               const SideResult* other) {
  SideResult out;
  for (std::size_t t = 0; t < plans.size(); ++t) {
    const TaskPlan& plan = plans[t];
    const TaskEvaluation& eval = side.evals[side_b ? plan.b_task : t];
    const std::vector<std::uint32_t>& map = side_b ? plan.pairing.ib : plan.pairing.ia;
    auto index = [&](std::size_t k) { return plan.metric_index(k, side_b); };
    SideTask st;
    std::vector<BatchScoreMaker> makers;
    for (std::size_t k = 0; k < plan.compared.size(); ++k) {
      const Metric& metric = *eval.metrics[index(k)];
      const MetricRows& rows = eval.rows[index(k)];
      st.drift.push_back(rescore_drift(side_b ? "B" : "A", plan.tc.task, eval.suite_task->metrics[index(k)].id, metric, rows,
                                       src.results.at("tasks")[plan.tc.task]));
      makers.push_back([&metric, &rows, &map] { return mapped(metric, rows, map); });
    }
    if (progress) progress->stage(std::string(side_b ? "B: " : "A: ") + plan.tc.task + ": resampling");
    st.scores = score_side(makers, Resampler(plan.pairing.keys), bootstrap);
    for (std::size_t k = 0; k < plan.compared.size(); ++k) {
      const bool look = !other || other->tasks[t].outcomes[k].has_value();
      st.outcomes.push_back(look ? binary_outcomes(*eval.metrics[index(k)], eval.rows[index(k)], map) : std::nullopt);
    }
    out.tasks.push_back(std::move(st));
  }
  bool null = false;
  for (std::size_t t : avg.tasks)
    null = null || std::isnan(out.tasks[t].primary_score(plans[t])) ||
           (other && std::isnan(other->tasks[t].primary_score(plans[t])));
  if (avg.tasks.empty() || null || avg.is_single_primary(plans)) return out;
  // Per global resample: each task's primary metric on its share, in points, weighted.
  const BatchScoreMaker average = [&]() -> BatchScore {
    std::vector<std::shared_ptr<const ResampleScorer>> scorers;
    std::vector<const Metric*> metrics;
    for (std::size_t t : avg.tasks) {
      const TaskPlan& plan = plans[t];
      const TaskEvaluation& eval = side.evals[side_b ? plan.b_task : t];
      const std::size_t m = plan.metric_index(plan.primary, side_b);
      metrics.push_back(eval.metrics[m].get());
      scorers.push_back(eval.metrics[m]->resample_scorer(eval.rows[m]));
    }
    return [&, side_b, scorers, metrics](std::span<const std::span<const std::uint32_t>> subsets, std::span<double> out) {
      std::vector<double> sum(subsets.size(), 0.0), weights(subsets.size(), 0.0), score(subsets.size());
      for (std::size_t a = 0; a < avg.tasks.size(); ++a) {
        const TaskPlan& plan = plans[avg.tasks[a]];
        const std::vector<std::uint32_t>& map = side_b ? plan.pairing.ib : plan.pairing.ia;
        const auto per = map_subsets(subsets, [&](std::size_t k, std::uint32_t g, auto& r) {
          if (avg.task_of[g] == a) r[k].push_back(map[avg.local[g]]);
        });
        scorers[a]->score(spans_of(per), score);
        for (std::size_t k = 0; k < subsets.size(); ++k) {
          const double v = primary_points(*metrics[a], plan.tc.primary_metric, score[k]);
          if (std::isnan(v)) continue;
          sum[k] += plan.tc.weight * v;
          weights[k] += plan.tc.weight;
        }
      }
      for (std::size_t k = 0; k < subsets.size(); ++k) out[k] = weights[k] > 0 ? sum[k] / weights[k] : kNaN;
    };
  };
  if (progress) progress->stage(std::string(side_b ? "B: " : "A: ") + "the tasks' average: resampling");
  out.average = std::move(score_side({&average, 1}, Resampler(avg.keys), bootstrap).front());
  return out;
}

}  // namespace

// Side A is evaluated and scored, and its rows dropped, before side B is evaluated: a side's rows
// and the one resampling layout being scored are what compare holds at most (about 1.0 GB at
// 100,000 reports, against 1.8 GB with both sides' rows held). The plan, pairing included, is made
// first from A's samples and B's split alone, so both sides are scored on the same resamples.
ComparisonReport compare_runs(RunSource a, RunSource b, const CompareOptions& o) {
  ComparisonReport r = begin_comparison(a, b);
  r.bootstrap = o.bootstrap;
  r.alpha = o.alpha;
  const auto tasks = common_tasks(a.results, b.results, r.notes);
  if (tasks.empty()) throw Error(a.label + " and " + b.label + " have no task in common");
  auto sa = evaluate_side(a, "A", tasks, o, r.differences);

  // Both runs scored against one suite file (the usual case, and always with --suite): B's samples
  // are the ones A's side has just read; the file is checked unchanged when B's side reads it.
  std::error_code ec;
  const bool same_file = std::filesystem::equivalent(a.suite_path, b.suite_path, ec);
  ComparePlan plan;
  {
    LoadedSuite other;  // B's own suite file, read for its samples' ids and then freed
    if (!same_file) other = load_side(b, "B", tasks, o);
    plan = plan_comparison(sa->evals, same_file ? sa->loaded : other, o.bootstrap.cluster_by_image,
                           "B (" + b.label + ")");
  }
  const std::vector<TaskPlan>& plans = plan.tasks;
  const AveragePlan& avg = plan.average;

  drop_samples(*sa);
  BootstrapOptions counted = o.bootstrap;
  if (o.progress && o.bootstrap.resamples > 0) counted.on_scored = o.progress->resamples(o.bootstrap.resamples);
  const SideResult ra = score_compared_side(*sa, false, a, plans, avg, counted, o.progress, nullptr);
  drop_rows(*sa);
  auto sb = evaluate_side(b, "B", tasks, o, r.differences);  // after A's, before the signatures
  for (std::size_t t = 0; t < plans.size(); ++t)
    if (sb->loaded.splits[plans[t].b_task].sha256 != plans[t].split_sha_b)
      throw Error("B (" + b.label + "): split file " + sb->loaded.splits[plans[t].b_task].path +
                  " changed while compare was reading it; run compare again");
  drop_samples(*sb);
  const SideResult rb = score_compared_side(*sb, true, b, plans, avg, counted, o.progress, &ra);

  // The report, in the order of A's tasks and metrics.
  for (std::size_t t = 0; t < plans.size(); ++t) {
    const TaskPlan& plan = plans[t];
    TaskComparison tc = plan.tc;
    const TaskEvaluation& ea = sa->evals[t];
    const TaskEvaluation& eb = sb->evals[plan.b_task];
    if (tc.n_only_a || tc.n_only_b)
      r.notes.push_back("task " + tc.task + ": " + std::to_string(tc.n_common) + " samples in both runs, " +
                        std::to_string(tc.n_only_a) + " only in A, " + std::to_string(tc.n_only_b) + " only in B");
    std::size_t k = 0;
    for (std::size_t m = 0; m < plan.metric_b.size(); ++m) {
      const std::string& id = ea.suite_task->metrics[m].id;
      if (plan.metric_b[m] == std::string::npos) {
        r.notes.push_back("task " + tc.task + ": metric " + id + " is only in A's suite; not compared");
        continue;
      }
      const Metric& metric_a = *ea.metrics[m];
      const Metric& metric_b = *eb.metrics[plan.metric_b[m]];
      if (ra.tasks[t].drift[k]) r.notes.push_back(*ra.tasks[t].drift[k]);
      if (rb.tasks[t].drift[k]) r.notes.push_back(*rb.tasks[t].drift[k]);
      if (metric_a.signature() != metric_b.signature())
        r.differences.push_back("task " + tc.task + ": metric " + id + " is computed differently by the two suites: A '" +
                                metric_a.signature() + "', B '" + metric_b.signature() + "'");
      MetricComparison mc;
      mc.id = id;
      mc.signature = metric_a.signature();
      mc.higher_is_better = metric_a.higher_is_better();
      mc.is_primary = k == plan.primary;
      // The primary metric's comparison in suite points comes from the same resampled scores.
      const PointsTransform to_points{[&metric_a, &id](double v) { return primary_points(metric_a, id, v); },
                                      [&metric_b, &id](double v) { return primary_points(metric_b, id, v); }};
      auto paired = pair_side_scores(ra.tasks[t].scores[k], rb.tasks[t].scores[k], mc.is_primary ? &to_points : nullptr);
      mc.paired = paired.first;
      const auto &oa = ra.tasks[t].outcomes[k], &ob = rb.tasks[t].outcomes[k];
      if (oa && ob) mc.mcnemar = mcnemar(*oa, *ob);
      if (mc.is_primary) {
        tc.primary_points = paired.second;
        primary_points(metric_a, id, 0, &tc.primary_transform);
      }
      tc.metrics.push_back(std::move(mc));
      ++k;
    }
    r.tasks.push_back(std::move(tc));
  }

  // As in a results file, a task whose primary metric has no score on the common samples makes
  // the average null rather than letting the other tasks stand in for it.
  std::string null_tasks;
  for (std::size_t t : avg.tasks)
    if (std::isnan(ra.tasks[t].primary_score(plans[t])) || std::isnan(rb.tasks[t].primary_score(plans[t])))
      null_tasks += (null_tasks.empty() ? "" : ", ") + plans[t].tc.task + " (" + plans[t].tc.primary_metric + ")";
  if (!null_tasks.empty()) {
    r.notes.push_back("no multi-task average: no primary score on the common samples for " + null_tasks);
  } else if (avg.is_single_primary(plans)) {
    r.average = r.tasks[avg.tasks[0]].primary_points;
  } else if (ra.average && rb.average) {
    r.average = pair_side_scores(*ra.average, *rb.average, nullptr).first;
  }
  return r;
}

}  // namespace imaxbench
