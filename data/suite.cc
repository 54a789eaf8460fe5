#include "data/suite.h"

#include <filesystem>
#include <set>
#include <sstream>

#include "core/json_document.h"
#include "core/regular_file.h"
#include "core/sha256.h"
#include "metrics/metric.h"
#include "tasks/box_parser.h"
#include "core/error.h"
#include "core/excerpt.h"
#include "tasks/prompt_template.h"
#include "core/record_fields.h"

namespace imaxbench {

namespace fs = std::filesystem;

namespace {

class EntryReader {
 public:
  EntryReader(const std::string& file, std::string where) : file_(file), where_(std::move(where)) {}
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(file_ + ": " + where_ + ": " + excerpt(problem, kProblemBytes));
  }
  std::string string(const nlohmann::json& obj, const char* key, bool required,
                     const std::string& fallback = "") const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) fail(std::string("missing field '") + key + "'");
      return fallback;
    }
    if (!it->is_string())
      fail(std::string("field '") + key + "' must be a string, got " + json_type_name(*it));
    return it->get<std::string>();
  }

 private:
  const std::string& file_;
  std::string where_;
};

MetricSpec parse_metric_entry(const nlohmann::json& m, const Task& task, const EntryReader& r) {
  MetricSpec spec;
  if (m.is_string()) {
    spec.name = m.get<std::string>();
  } else if (m.is_object()) {
    spec.name = r.string(m, "name", true);
    if (auto it = m.find("params"); it != m.end()) spec.params = *it;
    spec.id = r.string(m, "id", false);
  } else {
    r.fail("each metric must be a name or {\"name\", \"params\", \"id\"}, got " + json_type_name(m));
  }
  if (spec.id.empty()) spec.id = spec.name;
  std::unique_ptr<Metric> metric;
  try {
    metric = make_metric(spec.name, spec.params);  // unknown names and bad params fail here, early
  } catch (const Error& e) {
    r.fail(e.what());
  }
  if (!metric->applies_to().contains(task.answer_kind()))
    r.fail("'" + excerpt(spec.name) + "' does not apply to " + std::string(task.name()) +
           " (applies: " + task_names_of_kinds(metric->applies_to()) + ")");
  return spec;
}

SuiteTask parse_task_entry(const nlohmann::json& t, std::size_t index, const Suite& suite) {
  EntryReader r(suite.path, "tasks[" + std::to_string(index) + "]");
  if (!t.is_object()) r.fail("must be an object, got " + json_type_name(t));
  SuiteTask st;
  st.task = r.string(t, "task", true);
  const Task* task = find_task(st.task);
  if (!task) r.fail("unknown task '" + excerpt(st.task) + "'; tasks are: " + task_names_joined());
  st.split = r.string(t, "split", true);
  st.split_path = (fs::path(suite.path).parent_path() / st.split).lexically_normal().string();
  st.options.prompt_template = r.string(t, "prompt_template", false);
  if (!st.options.prompt_template.empty()) {
    st.options.prompt_from = "suite";
    if (auto problem = prompt_template_problem(*task, st.options.prompt_template); !problem.empty())
      EntryReader(suite.path, "tasks[" + std::to_string(index) + "].prompt_template").fail(problem);
  }
  // Written, even as "auto", it is the suite's choice; left out, the model's native format is used.
  if (auto it = t.find("box_format"); it != t.end() && !it->is_null()) st.options.box_format_from = "suite";
  st.options.box_format = r.string(t, "box_format", false, "auto");
  if (!box_format_from_name(st.options.box_format))
    r.fail("box_format '" + excerpt(st.options.box_format) + "' is not one of " + std::string(box_format_names()));
  if (auto it = t.find("weight"); it != t.end()) {
    if (!it->is_number() || !(it->get<double>() >= 0)) r.fail("weight must be a number >= 0");
    st.weight = it->get<double>();
  }
  if (auto it = t.find("metrics"); it != t.end() && !it->is_null()) {
    if (!it->is_array() || it->empty()) r.fail("metrics must be a non-empty list");
    for (std::size_t j = 0; j < it->size(); ++j) {
      EntryReader entry(suite.path, "tasks[" + std::to_string(index) + "].metrics[" + std::to_string(j) + "]");
      st.metrics.push_back(parse_metric_entry((*it)[j], *task, entry));
    }
  } else {
    for (auto spec : task->default_metrics()) {
      if (spec.id.empty()) spec.id = spec.name;
      st.metrics.push_back(std::move(spec));
    }
  }
  std::set<std::string> ids;
  for (const auto& m : st.metrics)
    if (!ids.insert(m.id).second) r.fail("two metrics share the id '" + m.id + "'; give one an \"id\"");
  st.primary_metric = r.string(t, "primary_metric", false, st.metrics.front().id);
  if (!ids.count(st.primary_metric))
    r.fail("primary_metric '" + st.primary_metric + "' is not among this task's metrics");
  return st;
}

}  // namespace

Suite load_suite(const std::string& path) {
  Suite suite;
  suite.path = path;
  const std::string text = read_regular_file(path, "suite file");
  const nlohmann::json doc = parse_json_document(text, path, "suite file");
  suite.sha256 = sha256_hex(text);
  EntryReader r(path, "suite");
  if (!doc.is_object()) r.fail("must be a JSON object");
  suite.name = r.string(doc, "name", true);
  suite.aggregate = r.string(doc, "aggregate", false, "mean");
  if (suite.aggregate != "mean") r.fail("aggregate must be \"mean\"");
  if (auto it = doc.find("version"); it != doc.end()) {
    if (!it->is_number_integer()) r.fail("version must be a whole number");
    suite.version = it->get<int>();
  }
  auto tasks = doc.find("tasks");
  if (tasks == doc.end() || !tasks->is_array() || tasks->empty())
    r.fail("needs a non-empty \"tasks\" list");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < tasks->size(); ++i) {
    suite.tasks.push_back(parse_task_entry((*tasks)[i], i, suite));
    if (!seen.insert(suite.tasks.back().task).second)
      r.fail("task '" + suite.tasks.back().task + "' appears twice; merge its splits into one entry");
  }
  return suite;
}

void select_tasks(Suite& suite, const std::string& comma_separated) {
  if (comma_separated.empty()) return;
  std::set<std::string> wanted;
  std::stringstream ss(comma_separated);
  for (std::string name; std::getline(ss, name, ',');)
    if (!name.empty()) wanted.insert(name);
  for (const auto& name : wanted) {
    bool found = false;
    for (const auto& t : suite.tasks) found = found || t.task == name;
    if (!found) throw UsageError("--tasks: '" + name + "' is not a task of suite " + suite.name);
  }
  std::erase_if(suite.tasks, [&](const SuiteTask& t) { return !wanted.count(t.task); });
}

}  // namespace imaxbench
