// Helpers for the task tests: build a Sample from a JSON record the way the split reader does
// (common fields first, then Task::parse_record), and capture the DataError a bad record raises.
#pragma once

#include <array>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/record_fields.h"
#include "core/sample.h"
#include "tasks/task.h"

namespace imaxbench::testing {

inline Sample sample_from(const Task& task, const nlohmann::json& record) {
  Sample s;
  s.source_file = "split.jsonl";
  s.line = 7;
  s.id = record.value("id", "r1");
  s.task = std::string(task.name());
  s.kind = find_task(s.task)->answer_kind();
  s.image = record.value("image", "img.png");
  s.image_id = s.image;
  if (record.contains("prompt")) s.prompt = record["prompt"].get<std::string>();
  if (record.contains("image_size"))
    s.image_size = std::array<double, 2>{record["image_size"][0].get<double>(),
                                         record["image_size"][1].get<double>()};
  RecordFields fields(record, s.source_file, s.line, s.id);
  task.parse_record(fields, s);
  return s;
}

// The DataError message a record raises, or "" when it is valid.
inline std::string record_error(const Task& task, const nlohmann::json& record) {
  try {
    sample_from(task, record);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace imaxbench::testing
