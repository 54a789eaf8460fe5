// Run progress: a one-line bar redrawn in place on a terminal (done/total, rate, ETA, failures),
// plain lines every few seconds otherwise (CI logs), nothing when off.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace imaxbench {

enum class ProgressMode { kAuto, kBar, kLines, kOff };

// "auto", "bar", "lines" or "off"; throws UsageError otherwise.
ProgressMode parse_progress_mode(const std::string& text);

class Progress {
 public:
  // `already_done` samples were answered before this process started (--resume).
  Progress(std::size_t total, std::size_t already_done, std::ostream& out, ProgressMode mode,
           double line_period_s = 10.0);
  // Called once per journaled batch, in order.
  void update(std::size_t done, std::size_t failed);
  void finish();

 private:
  void draw(bool final);

  std::size_t total_, start_done_, done_, failed_ = 0;
  std::ostream& out_;
  ProgressMode mode_;
  double period_s_;
  std::chrono::steady_clock::time_point start_, last_;
  bool finished_ = false;
};

}  // namespace imaxbench
