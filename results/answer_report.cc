#include "results/answer_report.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "core/error.h"
#include "core/excerpt.h"
#include "core/jsonl.h"
#include "core/record_fields.h"

namespace imaxbench {

namespace {

// Chat-template and grounding markup a model may answer in: <|box_start|>, <ref>, </box>, ...
const std::regex& markup_token() {
  static const std::regex re(R"(<\|[A-Za-z0-9_]{1,40}\|>|</?[A-Za-z_][A-Za-z0-9_]{0,20}>)");
  return re;
}

std::string string_or_empty(const nlohmann::json& rec, const char* key) {
  auto it = rec.find(key);
  return it != rec.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

AnswerReport read_answer_report(const std::string& path, std::size_t examples_per_group) {
  AnswerReport report;
  report.path = std::filesystem::is_directory(path) ? (std::filesystem::path(path) / "scored.jsonl").string() : path;
  if (!std::filesystem::exists(report.path))
    throw Error(report.path + ": no per-sample log here; `imaxbench run` writes DIR/scored.jsonl, "
                "`imaxbench score --log-samples FILE` writes one for a predictions file");
  std::map<std::string, std::size_t> task_index;
  std::vector<std::map<std::pair<std::string, std::string>, std::size_t>> group_index;
  read_jsonl(report.path, [&](JsonlLine& line) {
    const std::string id = record_id_for_message(line.value);
    if (!line.problem.empty()) throw DataError(report.path, line.line, id, line.problem);
    RecordFields f(line.value, report.path, line.line, id);
    const std::string task = f.require_string("task");
    const std::string status = f.require_string("status");
    if (status != "scored" && status != "unparsed" && status != "failed" && status != "missing")
      f.fail("field 'status' must be scored, unparsed, failed or missing; is this a per-sample log?");
    auto [it, added] = task_index.emplace(task, report.tasks.size());
    if (added) {
      report.tasks.push_back({task, {}, {}});
      group_index.emplace_back();
    }
    TaskAnswers& t = report.tasks[it->second];
    ++t.status[status];
    ++report.samples;
    if (status != "unparsed" && status != "failed") return;
    const std::string answer = string_or_empty(line.value, "answer");
    const std::string reason = string_or_empty(line.value, status == "failed" ? "error" : "note");
    auto [g, new_group] = group_index[it->second].emplace(std::make_pair(status, reason), t.groups.size());
    if (new_group) t.groups.push_back({status, reason, 0, {}, {}});
    AnswerGroup& group = t.groups[g->second];
    ++group.count;
    if (group.examples.size() < examples_per_group) group.examples.emplace_back(id, excerpt(answer, 160));
    std::map<std::string, bool> seen;
    // The first 64 KiB are enough to see how an answer is marked up (an answer may be 64 MiB).
    const auto scan_end = answer.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(answer.size(), 64 << 10));
    for (std::sregex_iterator m(answer.begin(), scan_end, markup_token()), end; m != end; ++m)
      if (!seen[m->str()]) ++group.markup[m->str()], seen[m->str()] = true;
  });
  for (TaskAnswers& t : report.tasks)
    std::stable_sort(t.groups.begin(), t.groups.end(),
                     [](const AnswerGroup& a, const AnswerGroup& b) { return a.count > b.count; });
  return report;
}

void print_answer_report(const AnswerReport& r, std::ostream& out) {
  std::map<std::string, std::size_t> total;
  for (const TaskAnswers& t : r.tasks)
    for (const auto& [s, n] : t.status) total[s] += n;
  auto counts = [](const std::map<std::string, std::size_t>& c) {
    std::string s;
    for (const char* k : {"scored", "unparsed", "failed", "missing"})
      if (auto it = c.find(k); it != c.end() && it->second) s += (s.empty() ? "" : ", ") + std::to_string(it->second) + " " + k;
    return s;
  };
  out << r.path << ": " << r.samples << " samples; " << counts(total) << "\n";
  for (const TaskAnswers& t : r.tasks) {
    std::size_t n = 0;
    for (const auto& [s, c] : t.status) n += c;
    out << "\n" << t.task << ": " << n << " samples; " << counts(t.status) << "\n";
    for (const AnswerGroup& g : t.groups) {
      out << "  " << g.count << " " << g.status << ": " << (g.reason.empty() ? "(no reason given)" : g.reason) << "\n";
      std::vector<std::pair<std::size_t, std::string>> marks;
      for (const auto& [token, c] : g.markup) marks.emplace_back(c, token);
      std::sort(marks.begin(), marks.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;  // most used, then by name
      });
      for (std::size_t k = 0; k < marks.size() && k < 3; ++k)
        out << "      " << marks[k].first << " of them used " << marks[k].second << "\n";
      for (const auto& [id, answer] : g.examples) out << "      " << id << ": \"" << answer << "\"\n";
    }
  }
}

nlohmann::json answer_report_json(const AnswerReport& r) {
  nlohmann::json tasks = nlohmann::json::object();
  for (const TaskAnswers& t : r.tasks) {
    nlohmann::json groups = nlohmann::json::array();
    for (const AnswerGroup& g : t.groups) {
      nlohmann::json examples = nlohmann::json::array();
      for (const auto& [id, answer] : g.examples) examples.push_back({{"id", id}, {"answer", answer}});
      groups.push_back({{"status", g.status}, {"reason", g.reason}, {"count", g.count}, {"markup", g.markup},
                        {"examples", examples}});
    }
    tasks[t.task] = {{"status", t.status}, {"groups", groups}};
  }
  return {{"path", r.path}, {"samples", r.samples}, {"tasks", tasks}};
}

}  // namespace imaxbench
