// Progress of `score` and `compare` on stderr: which step they are in (reading, a task's scoring,
// its resampling, the average's) and, while resampling, how many resamples are done. A bar redrawn
// in place on a terminal and cleared at the end; in a log, a line every few seconds once the work
// has taken that long (so a short run prints nothing); nothing when off.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include "harness/progress.h"

namespace imaxbench {

class StageProgress {
 public:
  StageProgress(std::ostream& out, ProgressMode mode, double line_period_s = 10.0);
  ~StageProgress() { finish(); }
  StageProgress(const StageProgress&) = delete;
  StageProgress& operator=(const StageProgress&) = delete;

  // Starts a step, e.g. "report_generation: 100000 samples".
  void stage(const std::string& what);
  // A BootstrapOptions::on_scored hook for the current step: counts the resamples of each of its
  // passes (a pass of `total`, then the next) from whichever threads score them.
  std::function<void(std::size_t)> resamples(std::size_t total);
  // Clears the bar (a terminal); idempotent.
  void finish();

 private:
  void scored(std::size_t count, std::size_t total);
  void draw(bool force);  // with mu_ held

  std::ostream& out_;
  ProgressMode mode_;
  double period_s_;
  std::mutex mu_;
  std::string stage_;
  std::size_t done_ = 0, total_ = 0;  // resamples of the current pass
  std::chrono::steady_clock::time_point start_, pass_start_, last_;
  // The last step or count: a pass's first batch began about then (its count comes when it ends).
  std::chrono::steady_clock::time_point marked_;
  bool drawn_ = false, finished_ = false;
};

}  // namespace imaxbench
