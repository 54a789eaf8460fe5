// A fast first parse for the JSON imaxbench reads most (split records, journal lines, predictions):
// simdjson, when the build found it, turned into the same nlohmann::json value nlohmann/json's own
// parse gives. Anything simdjson refuses (malformed text, invalid UTF-8, numbers out of range,
// nesting deeper than 1024) is left to nlohmann/json, which stays the reader of record and writes
// every error message; tests/fuzz/fuzz_json_fast.cc holds the two to the same values on any input.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace imaxbench {

// The value, or nullopt when simdjson refuses the text or the build has no simdjson. Numbers keep
// nlohmann's types: non-negative whole numbers unsigned, negative ones signed, the rest double.
std::optional<nlohmann::json> parse_json_fast(std::string_view text);

}  // namespace imaxbench
