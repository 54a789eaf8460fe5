#include "results/leaderboard_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

#include "core/error.h"

namespace imaxbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> flags_against(const StoredRun& r, const StoredRun& ref) {
  std::vector<std::string> flags;
  if (r.suite_sha256 != ref.suite_sha256) flags.push_back("suite differs");
  if (r.splits_sha256 != ref.splits_sha256) flags.push_back("splits differ");
  if (r.signatures_sha256 != ref.signatures_sha256) flags.push_back("signatures differ");
  // A null average is never ranked as a number; the flag says which task had no primary score.
  if (std::isnan(r.suite_score)) {
    std::string tasks;
    for (const auto& s : r.scores)
      if (s.is_primary && std::isnan(s.score)) tasks += (tasks.empty() ? "" : ", ") + s.task;
    flags.push_back("no average: nothing scored in " + (tasks.empty() ? std::string("a task") : tasks));
  }
  return flags;
}

std::string fmt(double v, int decimals) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

}  // namespace

Leaderboard build_leaderboard(const std::vector<StoredRun>& all, const LeaderboardOptions& o) {
  if (all.empty()) throw Error("the leaderboard has no runs to show (check --suite, --since and --tag)");
  Leaderboard board;
  board.suite = o.suite.empty() ? all.back().suite : o.suite;
  std::vector<const StoredRun*> runs;
  for (const auto& r : all)
    if (r.suite == board.suite) runs.push_back(&r);
  if (runs.empty()) throw Error("the leaderboard has no runs of suite '" + board.suite + "'");
  // The reference: asked for, else the newest accepted run, else the newest run of the largest
  // group scored alike (so one variant run recorded last does not flag every canonical row).
  const StoredRun* reference = nullptr;
  const StoredRun* accepted = nullptr;
  for (const StoredRun* r : runs)
    if (std::find(r->tags.begin(), r->tags.end(), o.accepted_tag) != r->tags.end()) accepted = r;
  if (o.reference != 0) {
    for (const StoredRun* r : runs)
      if (r->id == o.reference) reference = r;
    if (!reference) throw Error("--reference " + std::to_string(o.reference) + ": no run with that id on suite '" + board.suite + "'");
    board.reference_reason = "chosen with --reference";
  } else if (accepted) {
    reference = accepted;
    board.reference_reason = "the newest run tagged " + o.accepted_tag;
  } else {
    std::map<std::string, std::size_t> group_size;
    auto group = [](const StoredRun& r) { return r.suite_sha256 + "|" + r.splits_sha256 + "|" + r.signatures_sha256; };
    for (const StoredRun* r : runs) ++group_size[group(*r)];
    std::size_t best = 0;
    for (const StoredRun* r : runs)  // oldest first: the last of the largest group wins
      if (group_size[group(*r)] >= best) best = group_size[group(*r)], reference = r;
    board.reference_reason = "the newest run of the largest group scored alike (" + std::to_string(best) + " of " +
                             std::to_string(runs.size()) + " runs)";
  }
  const StoredRun& ref = *reference;
  board.reference_run = ref.id;
  board.reference_date = ref.date;
  board.reference_model = ref.model;
  board.accepted_tag = o.accepted_tag;
  if (accepted) board.accepted_run = accepted->id;
  for (const StoredRun* r : runs) board.run_dates.push_back(r->date);

  // Columns: the newest run's primary metrics, then any other task an older row has.
  auto add_columns = [&](const StoredRun& r) {
    for (const auto& s : r.scores) {
      if (!s.is_primary) continue;
      bool known = std::any_of(board.columns.begin(), board.columns.end(),
                               [&](const LeaderboardColumn& c) { return c.task == s.task; });
      if (!known) board.columns.push_back({s.task, s.metric, s.higher_is_better});
    }
  };
  add_columns(ref);
  for (const StoredRun* r : runs) add_columns(*r);

  auto primary_scores = [&](const StoredRun& r) {
    std::vector<double> out;
    for (const auto& c : board.columns) {
      double v = kNaN;
      for (const auto& s : r.scores)
        if (s.task == c.task && s.metric == c.metric) v = s.score;
      out.push_back(v);
    }
    return out;
  };
  std::map<std::string, std::vector<HistoryPoint>> history;
  std::vector<std::string> model_order;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const StoredRun* r = runs[i];
    if (!history.count(r->model)) model_order.push_back(r->model);
    history[r->model].push_back({r->date, r->suite_score, r->id, !flags_against(*r, ref).empty(), i, primary_scores(*r)});
  }
  for (const auto& m : model_order) board.history.emplace_back(m, history[m]);

  std::vector<const StoredRun*> shown;
  if (o.all_runs) {
    shown = runs;
  } else {
    std::map<std::string, const StoredRun*> newest;
    for (const StoredRun* r : runs) newest[r->model] = r;  // oldest first, so the last one wins
    for (const auto& m : model_order) shown.push_back(newest[m]);
  }
  for (const StoredRun* r : shown) {
    LeaderboardRow row;
    row.run_id = r->id;
    row.model = r->model;
    row.date = r->date;
    row.backend = r->backend;
    row.device = r->device;
    row.git_sha = r->git_sha;
    row.tags = r->tags;
    row.average = r->suite_score;
    row.average_ci95 = r->suite_ci95;
    // Against the accepted run only when scored alike: another split or metric is another scale.
    row.delta = accepted && flags_against(*r, *accepted).empty() && !std::isnan(accepted->suite_score)
                    ? r->suite_score - accepted->suite_score
                    : kNaN;
    row.flags = flags_against(*r, ref);
    for (const auto& c : board.columns) {
      LeaderboardCell cell{kNaN, std::nullopt};
      for (const auto& s : r->scores)
        if (s.task == c.task && s.metric == c.metric) cell = {s.score, s.ci95};
      row.cells.push_back(cell);
    }
    board.rows.push_back(std::move(row));
  }
  std::stable_sort(board.rows.begin(), board.rows.end(), [](const LeaderboardRow& a, const LeaderboardRow& b) {
    if (std::isnan(a.average) != std::isnan(b.average)) return std::isnan(b.average);
    if (a.average != b.average) return a.average > b.average;
    return a.date > b.date;
  });
  for (std::size_t i = 0; i < board.rows.size(); ++i) board.rows[i].rank = int(i + 1);
  return board;
}

std::string render_leaderboard_markdown(const Leaderboard& b) {
  std::ostringstream out;
  out << "## Leaderboard: " << b.suite << "\n\n"
      << "Ranked by the multi-task average (primary metrics x100). Flags mark rows not scored like run #"
      << b.reference_run << " (" << b.reference_model << ", " << b.reference_date << "; " << b.reference_reason << ").\n\n"
      << "| rank | model | average | 95% CI | delta vs " << (b.accepted_run ? "#" + std::to_string(b.accepted_run) : b.accepted_tag) << " |";
  for (const auto& c : b.columns) out << " " << c.task << " " << c.metric << (c.higher_is_better ? "" : " (lower better)") << " |";
  out << " date | run | tags | flags |\n|---:|---|---:|---|---:|";
  for (std::size_t i = 0; i < b.columns.size(); ++i) out << "---:|";
  out << "---|---:|---|---|\n";
  for (const auto& r : b.rows) {
    out << "| " << r.rank << " | " << r.model << " | " << fmt(r.average, 2) << " | "
        << (r.average_ci95 ? fmt(r.average_ci95->first, 2) + "-" + fmt(r.average_ci95->second, 2) : "") << " | "
        << (std::isnan(r.delta) ? "" : (r.delta >= 0 ? "+" : "") + fmt(r.delta, 2)) << " |";
    for (const auto& cell : r.cells) out << " " << fmt(cell.score, 4) << " |";
    std::string tags, flags;
    for (const auto& t : r.tags) tags += (tags.empty() ? "" : ", ") + t;
    for (const auto& f : r.flags) flags += (flags.empty() ? "" : ", ") + f;
    out << " " << r.date << " | " << r.run_id << " | " << tags << " | " << (flags.empty() ? "" : "**" + flags + "**") << " |\n";
  }
  return out.str();
}

nlohmann::json leaderboard_json(const Leaderboard& b) {
  nlohmann::json columns = nlohmann::json::array(), rows = nlohmann::json::array(), history = nlohmann::json::object();
  for (const auto& c : b.columns)
    columns.push_back({{"task", c.task}, {"metric", c.metric}, {"higher_is_better", c.higher_is_better}});
  for (const auto& r : b.rows) {
    nlohmann::json tasks = nlohmann::json::object();
    for (std::size_t i = 0; i < b.columns.size(); ++i) {
      const auto& cell = r.cells[i];
      tasks[b.columns[i].task] = {{"metric", b.columns[i].metric}, {"score", number(cell.score)},
                                  {"ci95", cell.ci95 ? nlohmann::json{number(cell.ci95->first), number(cell.ci95->second)}
                                                     : nlohmann::json()}};
    }
    rows.push_back({{"rank", r.rank}, {"run_id", r.run_id}, {"model", r.model}, {"date", r.date},
                    {"backend", r.backend}, {"device", r.device}, {"git_sha", r.git_sha}, {"tags", r.tags},
                    {"average", number(r.average)},
                    {"average_ci95", r.average_ci95 ? nlohmann::json{number(r.average_ci95->first), number(r.average_ci95->second)}
                                                    : nlohmann::json()},
                    {"delta_vs_accepted", number(r.delta)}, {"tasks", std::move(tasks)}, {"flags", r.flags}});
  }
  for (const auto& [model, points] : b.history) {
    nlohmann::json p = nlohmann::json::array();
    for (const auto& h : points)
      p.push_back({{"date", h.date}, {"average", number(h.average)}, {"run_id", h.run_id}, {"flagged", h.flagged}});
    history[model] = std::move(p);
  }
  return {{"schema_version", 1}, {"suite", b.suite}, {"reference_run", b.reference_run},
          {"reference_date", b.reference_date}, {"reference_reason", b.reference_reason},
          {"accepted_run", b.accepted_run ? nlohmann::json(b.accepted_run) : nlohmann::json()}, {"columns", std::move(columns)}, {"rows", std::move(rows)},
          {"history", std::move(history)}};
}

}  // namespace imaxbench
