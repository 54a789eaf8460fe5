#include "metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <tbb/parallel_for.h>

namespace imaxbench {

Resampler::Resampler(std::span<const std::string> cluster_keys) : num_samples_(cluster_keys.size()) {
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < cluster_keys.size(); ++i) {
    auto [it, inserted] = index.emplace(cluster_keys[i], static_cast<std::uint32_t>(clusters_.size()));
    if (inserted) clusters_.emplace_back();
    clusters_[it->second].push_back(i);
  }
}

std::vector<std::uint32_t> Resampler::draw(std::uint64_t seed, std::uint64_t b) const {
  SplitMix64 rng(seed ^ (0xD1B54A32D192ED03ull * (b + 1)));
  std::vector<std::uint32_t> out;
  out.reserve(num_samples_ + 8);
  for (std::size_t c = 0; c < clusters_.size(); ++c) {
    const auto& members = clusters_[rng.below(clusters_.size())];
    out.insert(out.end(), members.begin(), members.end());
  }
  return out;
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double pos = q / 100.0 * double(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (values[hi] - values[lo]) * (pos - double(lo));
}

std::array<double, 2> bootstrap_ci95(const Metric& metric, const MetricRows& rows,
                                     const Resampler& resampler, const BootstrapOptions& options) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (options.resamples <= 0 || resampler.num_samples() == 0) return {nan, nan};
  std::vector<double> scores(static_cast<std::size_t>(options.resamples));
  tbb::parallel_for(std::size_t(0), scores.size(), [&](std::size_t b) {
    scores[b] = score_if_eligible(metric, rows, resampler.draw(options.seed, b));
  });
  std::erase_if(scores, [](double s) { return std::isnan(s); });
  return {percentile(scores, 2.5), percentile(scores, 97.5)};
}

}  // namespace imaxbench
