#include "harness/import_common.h"

#include <fstream>

#include "core/error.h"
#include "tasks/task.h"

namespace imaxbench {

namespace fs = std::filesystem;

void ImportReport::skip(const std::string& where, const std::string& reason) {
  ++skipped_by_reason[reason];
  if (skipped_examples.size() < 20) skipped_examples.emplace_back(where, reason);
}

SuiteWriter::SuiteWriter(const std::string& out) : out_(fs::absolute(out).lexically_normal()) {}

std::string SuiteWriter::image_field(const fs::path& image, ImportReport& report) const {
  const fs::path absolute = fs::absolute(image).lexically_normal();
  fs::path rel = absolute.lexically_relative(out_);
  if (rel.empty()) rel = absolute;
  if (rel.is_absolute() || *rel.begin() == "..") report.images_outside = true;
  return rel.generic_string();
}

void SuiteWriter::add(const std::string& task, const nlohmann::ordered_json& record, ImportReport& report) {
  splits_[task] += record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  ++report.imported;
  ++report.per_task[task];
}

std::string SuiteWriter::write(const std::string& name) const {
  nlohmann::json tasks = nlohmann::json::array();
  for (const Task* task : all_tasks()) {
    auto it = splits_.find(std::string(task->name()));
    if (it == splits_.end()) continue;
    if (tasks.empty()) fs::create_directories(out_);
    const std::string file = std::string(task->name()) + ".jsonl";
    std::ofstream f(out_ / file, std::ios::binary | std::ios::trunc);
    f << it->second;
    if (!f) throw Error("cannot write " + (out_ / file).string());
    tasks.push_back({{"task", task->name()}, {"split", file}});
  }
  if (tasks.empty()) return "";
  const std::string suite_name = !name.empty() ? name : !out_.filename().empty() ? out_.filename().string() : "imported";
  const nlohmann::json suite = {{"name", suite_name}, {"version", 1}, {"aggregate", "mean"}, {"tasks", tasks}};
  const fs::path path = out_ / "suite.json";
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << suite.dump(2) << "\n";
  if (!f) throw Error("cannot write " + path.string());
  return path.string();
}

}  // namespace imaxbench
