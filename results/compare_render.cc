// `imaxbench compare` output: a fixed-width table for people and a JSON document for scripts
// (declared in compare.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "results/compare.h"

namespace imaxbench {

namespace {

std::string fmt(double v, int decimals, bool sign = false) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v);
  return buf;
}

std::string p_text(const PairedResult& p) { return p.has_ci ? fmt(p.p_value, 4) : "-"; }
std::string ci_text(const PairedResult& p, int d) {
  if (!p.has_ci) return "-";
  std::string s(1, '[');  // appended piecewise: GCC 12 misreports "literal" + string&& (-Wrestrict)
  s += fmt(p.ci95[0], d, true);
  s += ", ";
  s += fmt(p.ci95[1], d, true);
  s += ']';
  return s;
}

std::vector<std::string> row_of(const std::string& task, const std::string& metric, const PairedResult& p,
                                int d, double alpha, const std::string& mcnemar) {
  const bool sig = p.has_ci && p.p_value < alpha;
  return {task, metric, fmt(p.a, d), fmt(p.b, d), fmt(p.delta, d, true), ci_text(p, d), p_text(p),
          sig ? "*" : "", mcnemar};
}

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  std::ostringstream out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      const std::string pad(width[c] - r[c].size(), ' ');
      line += (c < 2 || c == 7 || c == 8) ? r[c] + pad : pad + r[c];
      if (c + 1 < r.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  return out.str();
}

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json paired_json(const PairedResult& p, double alpha) {
  nlohmann::json j = {{"a", number(p.a)}, {"b", number(p.b)}, {"delta", number(p.delta)}};
  if (p.has_ci) {
    j["ci95"] = {number(p.ci95[0]), number(p.ci95[1])};
    j["p_value"] = number(p.p_value);
    j["significant"] = p.p_value < alpha;
    j["resamples"] = p.resamples;
  } else {
    j["ci95"] = nullptr;
    j["p_value"] = nullptr;
    j["significant"] = nullptr;
  }
  return j;
}

std::string side_line(const char* which, const std::string& label, const nlohmann::json& ctx) {
  std::string s = std::string(which) + ": " + label;
  if (ctx.is_object())
    s += "  (suite " + ctx.value("suite", std::string("?")) + ", " + ctx.value("date", std::string("?")) + ")";
  return s + "\n";
}

}  // namespace

std::string render_compare_table(const ComparisonReport& r, const GateOutcome& gate) {
  std::ostringstream out;
  out << side_line("A", r.label_a, r.context_a) << side_line("B", r.label_b, r.context_b);
  if (r.rescored)
    out << "paired bootstrap: " << r.bootstrap.resamples << " resamples, seed " << r.bootstrap.seed
        << (r.bootstrap.cluster_by_image ? ", whole images (image_id)" : ", single samples")
        << "; p: sacrebleu paired_bs rule; * significant at p < " << fmt(r.alpha, 2) << "\n";
  else
    out << "recorded numbers only (no re-scoring, no intervals)\n";
  for (const auto& d : r.differences) out << "DIFFERS: " << d << "\n";
  for (const auto& n : r.notes) out << "note: " << n << "\n";
  out << "\n";
  std::vector<std::vector<std::string>> rows = {
      {"task", "metric", "A", "B", "B-A", "95% CI of B-A", "p", "sig", "McNemar A+B- / A-B+ (p)"}};
  for (const auto& t : r.tasks) {
    for (const auto& m : t.metrics) {
      std::string mc;
      if (m.mcnemar)
        mc = std::to_string(m.mcnemar->a_right_b_wrong) + " / " + std::to_string(m.mcnemar->a_wrong_b_right) +
             " (" + fmt(m.mcnemar->p_value, 4) + ")";
      const std::string name = m.id + (m.is_primary ? " (primary)" : "") + (m.higher_is_better ? "" : " [lower better]");
      rows.push_back(row_of(t.task, name, m.paired, 4, r.alpha, mc));
    }
  }
  if (r.average) rows.push_back(row_of("average", "primary metrics x100", *r.average, 2, r.alpha, ""));
  out << table(rows);
  if (!gate.reasons.empty()) {
    out << "\n" << (gate.failed ? "GATE FAILED:\n" : "gate:\n");
    for (const auto& reason : gate.reasons) out << "  " << reason << "\n";
  }
  return out.str();
}

std::string render_compare_markdown(const ComparisonReport& r, const GateOutcome& gate) {
  std::ostringstream out;
  out << "A: `" << r.label_a << "`, B: `" << r.label_b << "`";
  if (r.rescored)
    out << " (paired bootstrap, " << r.bootstrap.resamples << " resamples, seed " << r.bootstrap.seed
        << (r.bootstrap.cluster_by_image ? ", clustered by image_id" : "") << ")";
  out << "\n\n";
  for (const auto& d : r.differences) out << "- **differs:** " << d << "\n";
  for (const auto& n : r.notes) out << "- note: " << n << "\n";
  if (!r.differences.empty() || !r.notes.empty()) out << "\n";
  out << "| task | metric | A | B | B-A | 95% CI of B-A | p | sig | McNemar A+B- / A-B+ (p) |\n"
      << "|---|---|---:|---:|---:|---:|---:|:-:|---|\n";
  auto line = [&](const std::vector<std::string>& cells) {
    out << "|";
    for (const auto& c : cells) out << " " << (c.empty() ? " " : c) << " |";
    out << "\n";
  };
  for (const auto& t : r.tasks)
    for (const auto& m : t.metrics) {
      std::string mc;
      if (m.mcnemar)
        mc = std::to_string(m.mcnemar->a_right_b_wrong) + " / " + std::to_string(m.mcnemar->a_wrong_b_right) +
             " (" + fmt(m.mcnemar->p_value, 4) + ")";
      line(row_of(t.task, m.id + (m.is_primary ? " (primary)" : ""), m.paired, 4, r.alpha, mc));
    }
  if (r.average) line(row_of("**average**", "primary x100", *r.average, 2, r.alpha, ""));
  if (!gate.reasons.empty()) {
    out << "\n" << (gate.failed ? "**Gate failed:**\n" : "Gate:\n");
    for (const auto& reason : gate.reasons) out << "- " << reason << "\n";
  }
  return out.str();
}

nlohmann::json compare_json(const ComparisonReport& r, const GateOutcome& gate) {
  nlohmann::json tasks = nlohmann::json::object();
  for (const auto& t : r.tasks) {
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& m : t.metrics) {
      nlohmann::json j = paired_json(m.paired, r.alpha);
      j["signature"] = m.signature;
      j["higher_is_better"] = m.higher_is_better;
      j["primary"] = m.is_primary;
      if (m.mcnemar)
        j["mcnemar"] = {{"a_right_b_wrong", m.mcnemar->a_right_b_wrong},
                        {"a_wrong_b_right", m.mcnemar->a_wrong_b_right},
                        {"p_value", m.mcnemar->p_value}};
      metrics[m.id] = std::move(j);
    }
    nlohmann::json tj = {{"primary_metric", t.primary_metric}, {"weight", t.weight}, {"metrics", std::move(metrics)}};
    if (r.rescored) tj["n_samples"] = {{"common", t.n_common}, {"only_a", t.n_only_a}, {"only_b", t.n_only_b}};
    if (t.primary_points) {
      tj["primary_points"] = paired_json(*t.primary_points, r.alpha);
      tj["primary_transform"] = t.primary_transform;
    }
    tasks[t.task] = std::move(tj);
  }
  nlohmann::json settings = {{"rescored", r.rescored}, {"alpha", r.alpha}};
  if (r.rescored)
    settings.update({{"resamples", r.bootstrap.resamples}, {"seed", r.bootstrap.seed},
                     {"cluster_by_image", r.bootstrap.cluster_by_image},
                     {"p_value_rule", "sacrebleu paired_bs: (1 + #{|d_i| - mean|d| > |D|}) / (1 + resamples)"},
                     {"ci_rule", "percentiles 2.5/97.5 of resampled B-A (numpy linear)"}});
  return {{"schema_version", 1},
          {"a", {{"label", r.label_a}, {"context", r.context_a}}},
          {"b", {{"label", r.label_b}, {"context", r.context_b}}},
          {"settings", std::move(settings)},
          {"differences", r.differences},
          {"notes", r.notes},
          {"tasks", std::move(tasks)},
          {"average", r.average ? paired_json(*r.average, r.alpha) : nlohmann::json()},
          {"gate", {{"failed", gate.failed}, {"reasons", gate.reasons}}}};
}

}  // namespace imaxbench
