// Reading metric parameters from a suite: unknown keys and wrong types are errors that name the
// metric, so a typo in a suite never silently changes a score.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace imaxbench {

class ParamReader {
 public:
  ParamReader(std::string_view metric, const nlohmann::json& params,
              std::initializer_list<std::string_view> allowed);

  double number(std::string_view key, double fallback) const;
  bool boolean(std::string_view key, bool fallback) const;
  int integer(std::string_view key, int fallback) const;
  // A string that must be one of `choices`.
  std::string choice(std::string_view key, std::string_view fallback,
                     std::initializer_list<std::string_view> choices) const;

 private:
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;
  std::string metric_;
  const nlohmann::json& params_;
};

}  // namespace imaxbench
