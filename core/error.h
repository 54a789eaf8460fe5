// Errors a person can act on. Bad user input or data throws one of these; it is caught once in
// main and mapped to an exit code. Per-sample failures are values (Prediction::error), never these.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "core/excerpt.h"

namespace imaxbench {

enum class ExitCode : int { kOk = 0, kFailure = 1, kUsage = 2, kRegression = 3 };

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A command line that cannot work (unknown flag value, missing file argument): exit 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

// One bad record: the message names file, line, id and what to fix, in one line.
class DataError : public Error {
 public:
  DataError(std::string file, std::size_t line, std::string id, std::string problem)
      : Error(format(file, line, id, problem)),
        file_(std::move(file)), line_(line), id_(std::move(id)), problem_(std::move(problem)) {}

  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }
  const std::string& id() const { return id_; }
  const std::string& problem() const { return problem_; }

  static std::string format(const std::string& file, std::size_t line, const std::string& id,
                            const std::string& problem) {
    std::string out = file;
    if (line > 0) out.append(":").append(std::to_string(line));
    if (!id.empty()) out.append(": id '").append(excerpt(id)).append("'");
    out.append(": ").append(excerpt(problem, kProblemBytes));  // a problem may quote the record
    return out;
  }

 private:
  std::string file_;
  std::size_t line_;
  std::string id_;
  std::string problem_;
};

}  // namespace imaxbench
