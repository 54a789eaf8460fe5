#include "harness/import_common.h"

#include <algorithm>
#include <charconv>
#include <cmath>
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

bool safe_file_id(const std::string& id) {
  return !id.empty() && id.find_first_of("/\\") == std::string::npos && id != "." && id != "..";
}

std::optional<double> field_number(std::string_view field) {
  const std::size_t a = field.find_first_not_of(' '), b = field.find_last_not_of(' ');
  if (a == std::string_view::npos) return std::nullopt;
  field = field.substr(a, b - a + 1);
  if (field.front() == '+') field.remove_prefix(1);  // from_chars refuses the sign strtod allows
  double value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

void add_grounding(const GroundedPhrase& g, SuiteWriter& writer, ImportReport& report) {
  if (g.boxes.size() > 1)
    report.skip(g.where, "rec: the phrase has several boxes (REC's reference is one box); each is a reg sample");
  const double width = g.image_size[0], height = g.image_size[1];
  for (std::size_t k = 0; k < g.boxes.size(); ++k) {
    Box b = g.boxes[k];
    const bool finite = std::isfinite(b.x1) && std::isfinite(b.y1) && std::isfinite(b.x2) && std::isfinite(b.y2);
    if (finite) {
      b = {std::clamp(b.x1, 0.0, width), std::clamp(b.y1, 0.0, height), std::clamp(b.x2, 0.0, width),
           std::clamp(b.y2, 0.0, height)};
    }
    if (!finite || !(b.x1 < b.x2 && b.y1 < b.y2)) {
      report.skip(g.where, "a box that is empty or outside the image (" + std::to_string(std::lround(width)) + "x" +
                               std::to_string(std::lround(height)) + "); were the images resized?");
      continue;
    }
    const nlohmann::ordered_json box = {b.x1, b.y1, b.x2, b.y2};
    nlohmann::ordered_json common = {{"image", g.image}, {"image_id", g.image_id}, {"image_size", {std::llround(width), std::llround(height)}}};
    if (g.boxes.size() == 1) {
      nlohmann::ordered_json rec = {{"id", g.stem + "-rec"}, {"task", "rec"}};
      rec.update(common);
      rec["phrase"] = g.phrase;
      rec["reference"] = box;
      writer.add("rec", rec, report);
    }
    nlohmann::ordered_json reg = {{"id", g.stem + "-reg-" + std::to_string(k + 1)}, {"task", "reg"}};
    reg.update(common);
    reg["box"] = box;
    reg["reference"] = g.phrase;
    writer.add("reg", reg, report);
  }
}

std::size_t PhraseBoxes::add(const std::string& where, const std::string& image, const std::string& phrase,
                             const Box& box) {
  auto [it, added] = index_.emplace(std::make_pair(image, phrase), groups_.size());
  if (added) groups_.push_back({where, image, phrase, ++phrases_of_image_[image], {}});
  groups_[it->second].boxes.push_back(box);
  return it->second;
}

}  // namespace imaxbench
