// JSON parsing with messages a person can act on: where the problem is (line, column and the
// field's path, e.g. tasks[0].metrics[1].params.tolerance) and what it is, with any quoted input
// cut to a short excerpt. nlohmann's own messages name neither the file nor the field.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace imaxbench {

struct JsonProblem {
  std::size_t line = 0, column = 0;  // 1-based, of the byte where parsing stopped
  std::string path;                  // e.g. "tasks[0].split"; empty at the top level
  std::string what;                  // e.g. "number 1e400 is too large; write a finite number"
  // "line L, column C, at PATH: WHAT" (the path part only when there is one).
  std::string describe() const;
};

// The parsed value, or nullopt with `problem` filled.
std::optional<nlohmann::json> parse_json(std::string_view text, JsonProblem& problem);

// Parses a whole JSON document; throws Error "FILE: WHAT_IT_IS is not valid JSON: line L, column
// C, at PATH: ..." on failure.
nlohmann::json parse_json_document(std::string_view text, const std::string& file,
                                   std::string_view what_it_is);

// Reads a regular file (core/regular_file.h) and parses it as above.
nlohmann::json read_json_document(const std::string& file, std::string_view what_it_is);

}  // namespace imaxbench
