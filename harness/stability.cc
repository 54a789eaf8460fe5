#include "harness/stability.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "harness/latency_histogram.h"
#include "core/error.h"

namespace imaxbench {

namespace {

// Numbers in messages: up to 3 significant digits, no trailing zeros.
std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

// Index of the window whose value strays furthest from the mean, and by how much (fraction).
std::pair<std::size_t, double> worst(const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  std::size_t at = 0;
  double dev = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double d = mean > 0 ? std::abs(v[i] - mean) / mean : 0.0;
    if (d > dev) dev = d, at = i;
  }
  return {at, dev};
}

}  // namespace

StabilityResult check_stability(const std::vector<double>& done_s, const std::vector<double>& latency_ms,
                                const StabilityOptions& o) {
  if (done_s.size() != latency_ms.size())
    throw Error("check_stability: " + std::to_string(done_s.size()) + " completion times but " +
                std::to_string(latency_ms.size()) + " latencies");
  StabilityResult r;
  const std::size_t n = done_s.size(), w = std::max<std::size_t>(1, o.windows);
  const std::size_t need = w * o.min_per_window;
  if (n < need || w < 2) {
    r.message = "not judged: " + std::to_string(n) + " timed requests, " + std::to_string(need) +
                " needed to fill " + std::to_string(w) + " windows of " + std::to_string(o.min_per_window) +
                "; raise --min-queries or --min-duration";
    return r;
  }
  r.judged = true;
  std::vector<double> tput, lat;
  double prev_end = 0;
  for (std::size_t k = 0; k < w; ++k) {
    const std::size_t a = n * k / w, b = n * (k + 1) / w;
    LatencyHistogram h;
    for (std::size_t i = a; i < b; ++i) h.record(std::llround(latency_ms[i] * 1000.0));
    const double span = done_s[b - 1] - prev_end;
    prev_end = done_s[b - 1];
    StabilityWindow win;
    win.requests = b - a;
    win.throughput = span > 0 ? static_cast<double>(b - a) / span : INFINITY;
    win.latency_ms = h.percentile(o.percentile) / 1000.0;
    r.windows.push_back(win);
    tput.push_back(win.throughput);
    lat.push_back(win.latency_ms);
  }
  if (std::any_of(tput.begin(), tput.end(), [](double t) { return std::isinf(t); })) {
    r.judged = false;
    r.message = "not judged: a window took no time (its requests completed together with the previous "
                "window's, as whole batches do); raise --min-queries so each window spans several batches";
    return r;
  }
  const auto [tw, td] = worst(tput);
  const auto [lw, ld] = worst(lat);
  const std::string pct = "p" + num(100 * o.percentile), tol = num(100 * o.tolerance) + "%";
  if (ld > o.tolerance) {
    r.message = "NOT STABLE: the " + pct + " latency of window " + std::to_string(lw + 1) + " of " +
                std::to_string(w) + " is " + num(100 * ld) + "% off the windows' mean (limit " + tol +
                "); these percentiles are not reliable, run longer (--min-duration, --min-queries)";
  } else if (td > o.tolerance) {
    r.message = "NOT STABLE: the throughput of window " + std::to_string(tw + 1) + " of " + std::to_string(w) +
                " is " + num(100 * td) + "% off the windows' mean (limit " + tol +
                "); run longer (--min-duration, --min-queries)";
  } else {
    r.stable = true;
    r.message = "stable: " + pct + " latency and throughput of " + std::to_string(w) + " consecutive windows within " +
                tol + " of their mean";
  }
  return r;
}

}  // namespace imaxbench
