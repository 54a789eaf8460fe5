// Typed access to one JSON record's fields. Every failure throws a DataError naming the file, the
// line, the record's id and what to fix, so tasks never format messages themselves.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/sample.h"

namespace imaxbench {

class RecordFields {
 public:
  RecordFields(const nlohmann::json& record, std::string file, std::size_t line, std::string id)
      : record_(record), file_(std::move(file)), line_(line), id_(std::move(id)) {}

  const nlohmann::json& json() const { return record_; }
  bool has(std::string_view key) const;

  std::string require_string(std::string_view key) const;          // non-empty string
  std::optional<std::string> optional_string(std::string_view key) const;
  double require_number(std::string_view key) const;                // finite number
  Box require_box(std::string_view key) const;                      // [x1,y1,x2,y2], x1<=x2, y1<=y2, >=0
  std::optional<Box> optional_box(std::string_view key) const;
  std::vector<std::string> require_string_list(std::string_view key) const;  // non-empty list
  std::optional<std::vector<std::string>> optional_string_list(std::string_view key) const;
  // A string or a non-empty list of strings (references of text tasks).
  std::vector<std::string> require_text_or_list(std::string_view key) const;

  // Throws the DataError for this record.
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  const nlohmann::json& get(std::string_view key) const;  // throws when absent

  const nlohmann::json& record_;
  std::string file_;
  std::size_t line_;
  std::string id_;
};

// The JSON type name a person understands: "string", "number", "array", ...
std::string json_type_name(const nlohmann::json& value);

// Checks a box lies inside an image of the given size (when known); fails through `fields`.
void check_box_in_image(const RecordFields& fields, std::string_view key, const Box& box,
                        const Sample& sample);

}  // namespace imaxbench
