// What every importer (`imaxbench import ...`) shares: the report of what was imported and what
// was not (counted by reason, the first twenty listed with where they are), and the writer of the
// suite folder (one split per task, suite.json) with image paths relative to it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace imaxbench {

struct ImportReport {
  std::size_t records = 0;   // input records read (conversations, CSV rows, ...)
  std::size_t imported = 0;  // samples written
  std::map<std::string, std::size_t> per_task;
  std::map<std::string, std::size_t> skipped_by_reason;
  std::vector<std::pair<std::string, std::string>> skipped_examples;  // where, reason (first 20)
  std::string suite_path;       // "" when nothing was imported (nothing written)
  bool images_outside = false;  // some image lies outside the suite folder

  void skip(const std::string& where, const std::string& reason);
};

class SuiteWriter {
 public:
  explicit SuiteWriter(const std::string& out);
  // The path a record names `image` by: relative to the suite folder (noting in `report` when it
  // has to leave the folder).
  std::string image_field(const std::filesystem::path& image, ImportReport& report) const;
  void add(const std::string& task, const nlohmann::ordered_json& record, ImportReport& report);
  // Writes the splits (in the tasks' registry order) and suite.json; returns the suite's path, ""
  // when no record was added.
  std::string write(const std::string& name) const;

 private:
  std::filesystem::path out_;
  std::map<std::string, std::string> splits_;  // task -> JSONL text
};

}  // namespace imaxbench
