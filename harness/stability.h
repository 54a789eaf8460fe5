// Is a profile's latency estimate stable? perf_analyzer's rule: split the timed requests (in
// completion order) into consecutive windows and call the run stable when, in every window, both
// the throughput and the latency percentile lie within ±tolerance of their mean over the windows.
// A run too short to fill the windows is reported as not judged, never as stable.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace imaxbench {

struct StabilityOptions {
  std::size_t windows = 3;             // perf_analyzer's stability window
  double tolerance = 0.10;             // ±10% of the mean
  double percentile = 0.90;            // the latency estimate checked
  std::size_t min_per_window = 20;     // fewer requests per window: too few to judge
};

struct StabilityWindow {
  std::size_t requests = 0;
  double throughput = 0;   // requests per second over the window's time span
  double latency_ms = 0;   // the checked percentile
};

struct StabilityResult {
  bool judged = false;   // enough requests to fill the windows
  bool stable = false;
  std::vector<StabilityWindow> windows;
  std::string message;   // one plain sentence: stable, or which window and value disagreed and why
};

// `done_s`: completion time of each timed request (non-decreasing, seconds from the window start,
// which is time 0); `latency_ms`: its latency. Same length, in completion order.
StabilityResult check_stability(const std::vector<double>& done_s, const std::vector<double>& latency_ms,
                                const StabilityOptions& options = {});

}  // namespace imaxbench
