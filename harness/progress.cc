#include "harness/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace imaxbench {

namespace {

std::string duration_text(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  long t = std::lround(s);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  return buf;
}

}  // namespace

ProgressMode parse_progress_mode(const std::string& text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "bar") return ProgressMode::kBar;
  if (text == "lines") return ProgressMode::kLines;
  if (text == "off") return ProgressMode::kOff;
  throw UsageError("--progress '" + text + "': write auto, bar, lines or off");
}

Progress::Progress(std::size_t total, std::size_t already_done, std::ostream& out, ProgressMode mode,
                   double line_period_s)
    : total_(total), start_done_(already_done), done_(already_done), out_(out), mode_(mode),
      period_s_(line_period_s), start_(std::chrono::steady_clock::now()), last_(start_) {
  if (mode_ == ProgressMode::kAuto)
    mode_ = ::isatty(STDERR_FILENO) ? ProgressMode::kBar : ProgressMode::kLines;
}

void Progress::update(std::size_t done, std::size_t failed) {
  done_ += done;
  failed_ += failed;
  if (mode_ == ProgressMode::kOff) return;
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_).count();
  // A terminal redraws at most 10 times a second; a log gets a line every period.
  if (since < (mode_ == ProgressMode::kBar ? 0.1 : period_s_)) return;
  last_ = now;
  draw(false);
}

void Progress::finish() {
  if (finished_ || mode_ == ProgressMode::kOff) return;
  finished_ = true;
  draw(true);
}

void Progress::draw(bool final) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::size_t ran = done_ - start_done_;
  double rate = elapsed > 0 ? ran / elapsed : 0;
  double eta = rate > 0 ? (total_ - std::min(total_, done_)) / rate : NAN;
  double frac = total_ ? double(done_) / total_ : 1.0;
  char stats[160];
  std::snprintf(stats, sizeof stats, "%zu/%zu  %.1f samples/s  %s %s  failed %zu", done_, total_, rate,
                final ? "took" : "ETA", duration_text(final ? elapsed : eta).c_str(), failed_);
  if (mode_ == ProgressMode::kBar) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(frac * kWidth);
    std::string bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
    out_ << "\r\033[2K" << bar << " " << stats << (final ? "\n" : "") << std::flush;
  } else {
    out_ << "progress: " << stats << "\n" << std::flush;
  }
}

}  // namespace imaxbench
