#include "metrics/params.h"

#include <cmath>

#include "core/error.h"

namespace imaxbench {

ParamReader::ParamReader(std::string_view metric, const nlohmann::json& params,
                         std::initializer_list<std::string_view> allowed)
    : metric_(metric), params_(params) {
  if (!params_.is_object()) throw Error("metric '" + metric_ + "': params must be a JSON object");
  for (const auto& [key, value] : params_.items()) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == key;
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw Error("metric '" + metric_ + "': unknown parameter '" + key + "'" +
                  (list.empty() ? std::string("; it takes none") : "; it takes: " + list));
    }
  }
}

void ParamReader::fail(std::string_view key, const std::string& what) const {
  throw Error("metric '" + metric_ + "': parameter '" + std::string(key) + "' " + what);
}

double ParamReader::number(std::string_view key, double fallback) const {
  auto it = params_.find(key);
  if (it == params_.end()) return fallback;
  if (!it->is_number() || !std::isfinite(it->get<double>())) fail(key, "must be a finite number");
  return it->get<double>();
}

bool ParamReader::boolean(std::string_view key, bool fallback) const {
  auto it = params_.find(key);
  if (it == params_.end()) return fallback;
  if (!it->is_boolean()) fail(key, "must be true or false");
  return it->get<bool>();
}

int ParamReader::integer(std::string_view key, int fallback) const {
  auto it = params_.find(key);
  if (it == params_.end()) return fallback;
  if (!it->is_number_integer()) fail(key, "must be a whole number");
  return it->get<int>();
}

std::string ParamReader::choice(std::string_view key, std::string_view fallback,
                                std::initializer_list<std::string_view> choices) const {
  auto it = params_.find(key);
  std::string value(fallback);
  if (it != params_.end()) {
    if (!it->is_string()) fail(key, "must be a string");
    value = it->get<std::string>();
  }
  for (auto c : choices)
    if (c == value) return value;
  std::string list;
  for (auto c : choices) list += (list.empty() ? "" : "|") + std::string(c);
  fail(key, "must be one of " + list + ", got '" + value + "'");
}

}  // namespace imaxbench
