#include "core/record_fields.h"

#include <cmath>

namespace imaxbench {

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_array()) return "array";
  return "object";
}

bool RecordFields::has(std::string_view key) const {
  auto it = record_.find(key);
  return it != record_.end() && !it->is_null();
}

void RecordFields::fail(const std::string& problem) const {
  throw DataError(file_, line_, id_, problem);
}

const nlohmann::json& RecordFields::get(std::string_view key) const {
  auto it = record_.find(key);
  if (it == record_.end() || it->is_null()) fail("missing field '" + std::string(key) + "'");
  return *it;
}

std::string RecordFields::require_string(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_string())
    fail("field '" + std::string(key) + "' must be a string, got " + json_type_name(v));
  auto s = v.get<std::string>();
  if (s.find_first_not_of(" \t\r\n") == std::string::npos)
    fail("field '" + std::string(key) + "' is empty");
  return s;
}

std::optional<std::string> RecordFields::optional_string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return require_string(key);
}

double RecordFields::require_number(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_number())
    fail("field '" + std::string(key) + "' must be a number, got " + json_type_name(v));
  double d = v.get<double>();
  if (!std::isfinite(d)) fail("field '" + std::string(key) + "' must be a finite number");
  return d;
}

Box RecordFields::require_box(std::string_view key) const {
  const auto& v = get(key);
  const std::string k(key);
  if (!v.is_array() || v.size() != 4)
    fail("field '" + k + "' must be [x1, y1, x2, y2] (4 numbers), got " +
         (v.is_array() ? std::to_string(v.size()) + " values" : json_type_name(v)));
  double c[4];
  for (int i = 0; i < 4; ++i) {
    if (!v[i].is_number())
      fail("field '" + k + "' value " + std::to_string(i + 1) + " must be a number, got " +
           json_type_name(v[i]));
    c[i] = v[i].get<double>();
    if (!std::isfinite(c[i])) fail("field '" + k + "' holds a non-finite number");
    if (c[i] < 0) fail("field '" + k + "' has a negative coordinate; boxes are pixels from the top-left");
  }
  if (c[2] < c[0]) fail("field '" + k + "' has x2 < x1; write boxes as [x1, y1, x2, y2]");
  if (c[3] < c[1]) fail("field '" + k + "' has y2 < y1; write boxes as [x1, y1, x2, y2]");
  return Box{c[0], c[1], c[2], c[3]};
}

std::optional<Box> RecordFields::optional_box(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return require_box(key);
}

std::vector<std::string> RecordFields::require_string_list(std::string_view key) const {
  const auto& v = get(key);
  const std::string k(key);
  if (!v.is_array()) fail("field '" + k + "' must be a list of strings, got " + json_type_name(v));
  if (v.empty()) fail("field '" + k + "' is an empty list");
  std::vector<std::string> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      fail("field '" + k + "' item " + std::to_string(i + 1) + " must be a string, got " +
           json_type_name(v[i]));
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::optional<std::vector<std::string>> RecordFields::optional_string_list(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return require_string_list(key);
}

std::vector<std::string> RecordFields::require_text_or_list(std::string_view key) const {
  const auto& v = get(key);
  if (v.is_string()) return {v.get<std::string>()};
  if (v.is_array()) return require_string_list(key);
  fail("field '" + std::string(key) + "' must be a string or a list of strings, got " +
       json_type_name(v));
}

void check_box_in_image(const RecordFields& fields, std::string_view key, const Box& box,
                        const Sample& sample) {
  if (!sample.image_size) return;
  const auto [w, h] = *sample.image_size;
  if (box.x2 > w || box.y2 > h)
    fields.fail("field '" + std::string(key) + "' lies outside the " + std::to_string(int(w)) + "x" +
                std::to_string(int(h)) + " image; boxes are pixel coordinates");
}

}  // namespace imaxbench
