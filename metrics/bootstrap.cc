#include "metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include "metrics/resample_scorer.h"

namespace imaxbench {

Resampler::Resampler(std::span<const std::string> cluster_keys) : num_samples_(cluster_keys.size()) {
  std::unordered_map<std::string_view, std::uint32_t> index;
  std::vector<std::vector<std::uint32_t>> clusters;
  for (std::uint32_t i = 0; i < cluster_keys.size(); ++i) {
    auto [it, inserted] = index.emplace(cluster_keys[i], static_cast<std::uint32_t>(clusters.size()));
    if (inserted) clusters.emplace_back();
    clusters[it->second].push_back(i);
  }
  cluster_begin_.reserve(clusters.size() + 1);
  members_.reserve(num_samples_);
  for (const auto& c : clusters) {
    cluster_begin_.push_back(static_cast<std::uint32_t>(members_.size()));
    members_.insert(members_.end(), c.begin(), c.end());
  }
  cluster_begin_.push_back(static_cast<std::uint32_t>(members_.size()));
}

std::vector<std::uint32_t> Resampler::draw(std::uint64_t seed, std::uint64_t b) const {
  SplitMix64 rng(seed ^ (0xD1B54A32D192ED03ull * (b + 1)));
  const std::size_t clusters = cluster_begin_.size() - 1;
  std::vector<std::uint32_t> out;
  if (members_.size() == clusters) {  // one sample a cluster (cluster k's is members_[k]): no lookups
    out.resize(clusters);
    for (std::uint32_t& i : out) i = members_[rng.below(clusters)];
    return out;
  }
  out.reserve(num_samples_ + 8);
  for (std::size_t c = 0; c < clusters; ++c) {
    const std::size_t k = rng.below(clusters);
    const std::uint32_t begin = cluster_begin_[k], end = cluster_begin_[k + 1];
    if (end - begin == 1) out.push_back(members_[begin]);  // most clusters: one sample, no copy call
    else out.insert(out.end(), members_.begin() + begin, members_.begin() + end);
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

void for_each_resample_batch(
    const Resampler& resampler, const BootstrapOptions& options,
    const std::function<void(std::size_t, std::span<const std::span<const std::uint32_t>>)>& score) {
  const auto total = static_cast<std::size_t>(std::max(options.resamples, 0));
  const std::size_t batches = (total + kResampleBatch - 1) / kResampleBatch;
  tbb::parallel_for(std::size_t(0), batches, [&](std::size_t batch) {
    const std::size_t first = batch * kResampleBatch;
    const std::size_t count = std::min(kResampleBatch, total - first);
    std::vector<std::uint32_t> draws[kResampleBatch];
    std::span<const std::uint32_t> spans[kResampleBatch];
    for (std::size_t k = 0; k < count; ++k) {
      draws[k] = resampler.draw(options.seed, first + k);
      spans[k] = draws[k];
    }
    score(first, {spans, count});
    if (options.on_scored) options.on_scored(count);
  });
}

std::vector<std::array<double, 2>> bootstrap_ci95(std::span<const Metric* const> metrics,
                                                  std::span<const MetricRows* const> rows,
                                                  const Resampler& resampler,
                                                  const BootstrapOptions& options) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::array<double, 2>> out(metrics.size(), {nan, nan});
  if (options.resamples <= 0 || resampler.num_samples() == 0) return out;
  std::vector<std::vector<double>> scores(metrics.size(), std::vector<double>(options.resamples));
  std::vector<std::unique_ptr<ResampleScorer>> scorers(metrics.size());
  auto score_all = [&](bool corpus) {
    for_each_resample_batch(resampler, options, [&](std::size_t first, auto draws) {
      for (std::size_t m = 0; m < metrics.size(); ++m)
        if (rows[m]->extras.empty() != corpus)
          scorers[m]->score(draws, std::span<double>(scores[m]).subspan(first, draws.size()));
    });
  };
  // Corpus-level metrics (per-sample extras) lay their data out once for all resamples: CIDEr-D
  // takes a few hundred milliseconds on one thread, while the summed metrics' resamples are
  // scored on the others. Each resample's score is the same either way.
  tbb::task_group layout;
  layout.run([&] {
    for (std::size_t m = 0; m < metrics.size(); ++m)
      if (!rows[m]->extras.empty()) scorers[m] = metrics[m]->resample_scorer(*rows[m]);
  });
  for (std::size_t m = 0; m < metrics.size(); ++m)
    if (rows[m]->extras.empty()) scorers[m] = metrics[m]->resample_scorer(*rows[m]);
  score_all(false);
  layout.wait();
  score_all(true);
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    std::erase_if(scores[m], [](double s) { return std::isnan(s); });
    out[m] = {percentile(scores[m], 2.5), percentile(scores[m], 97.5)};
  }
  return out;
}

std::array<double, 2> bootstrap_ci95(const Metric& metric, const MetricRows& rows,
                                     const Resampler& resampler, const BootstrapOptions& options) {
  const Metric* metrics[] = {&metric};
  const MetricRows* all_rows[] = {&rows};
  return bootstrap_ci95(metrics, all_rows, resampler, options)[0];
}

}  // namespace imaxbench
