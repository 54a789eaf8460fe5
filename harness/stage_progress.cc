#include "harness/stage_progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace imaxbench {

namespace {

std::string seconds_text(double s) {
  const long t = std::lround(std::max(0.0, s));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  return buf;
}

}  // namespace

StageProgress::StageProgress(std::ostream& out, ProgressMode mode, double line_period_s)
    : out_(out), mode_(mode), period_s_(line_period_s), start_(std::chrono::steady_clock::now()),
      pass_start_(start_), last_(start_), marked_(start_) {
  if (mode_ == ProgressMode::kAuto) mode_ = ::isatty(STDERR_FILENO) ? ProgressMode::kBar : ProgressMode::kLines;
}

void StageProgress::stage(const std::string& what) {
  std::lock_guard lock(mu_);
  stage_ = what;
  done_ = total_ = 0;
  marked_ = std::chrono::steady_clock::now();
  draw(mode_ == ProgressMode::kBar);  // a terminal shows each step at once; a log waits its period
}

std::function<void(std::size_t)> StageProgress::resamples(std::size_t total) {
  return [this, total](std::size_t count) { scored(count, total); };
}

void StageProgress::scored(std::size_t count, std::size_t total) {
  std::lock_guard lock(mu_);
  // A pass restarts the count: bootstrap_ci95 resamples summed metrics, then corpus ones.
  // Its start is the step's or the previous pass's end, not this first count's arrival: the ETA
  // would leave the first batch's time out (at 32 of 1,000, "0m00s").
  if (total_ != total || done_ >= total_) {
    total_ = total;
    done_ = 0;
    pass_start_ = marked_;
  }
  done_ += count;
  marked_ = std::chrono::steady_clock::now();
  draw(false);
}

void StageProgress::draw(bool force) {
  if (mode_ == ProgressMode::kOff || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since_last = std::chrono::duration<double>(now - last_).count();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  // A terminal redraws at most 10 times a second; a log gets its first line after one period.
  if (!force && since_last < (mode_ == ProgressMode::kBar ? 0.1 : period_s_)) return;
  last_ = now;
  std::string text = stage_;
  char buf[96];
  if (total_ > 0) {
    std::snprintf(buf, sizeof buf, " %zu/%zu", done_, total_);
    text += buf;
    const double pass = std::chrono::duration<double>(now - pass_start_).count();
    if (done_ > 0 && done_ < total_)
      text.append(", ETA ").append(seconds_text(pass / double(done_) * double(total_ - done_)));
  }
  text.append(" (").append(seconds_text(elapsed)).append(" so far)");
  if (mode_ == ProgressMode::kBar) out_ << "\r\033[2K" << text << std::flush;
  else out_ << "progress: " << text << "\n" << std::flush;
  drawn_ = true;
}

void StageProgress::finish() {
  std::lock_guard lock(mu_);
  if (finished_) return;
  if (mode_ == ProgressMode::kBar && drawn_) out_ << "\r\033[2K" << std::flush;
  finished_ = true;
}

}  // namespace imaxbench
