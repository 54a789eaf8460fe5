// The profile's latency histogram against exact percentiles of known distributions: uniform
// integers, seeded exponential samples (exact order statistics), a constant and a two-point
// distribution; bucket layout; exact merging across shards, also through JSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "harness/latency_histogram.h"
#include "core/error.h"

namespace imaxbench {
namespace {

constexpr double kQuantiles[] = {0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};
// A bucket midpoint is within half a bucket of any value in it: < 1/256 of the value.
constexpr double kRelativeError = 1.0 / 256;

// Nearest-rank order statistic of sorted values: rank ceil(q n), at least 1.
std::int64_t exact_percentile(const std::vector<std::int64_t>& sorted, double q) {
  const auto n = sorted.size();
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)));
  rank = std::clamp<std::size_t>(rank, 1, n);
  return sorted[rank - 1];
}

void expect_percentiles_match(const std::vector<std::int64_t>& values, const LatencyHistogram& h) {
  std::vector<std::int64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (double q : kQuantiles) {
    const double want = static_cast<double>(exact_percentile(sorted, q));
    EXPECT_LE(std::abs(h.percentile(q) - want), want * kRelativeError) << "q=" << q << " exact " << want;
  }
  EXPECT_EQ(h.max(), sorted.back());
  EXPECT_EQ(h.min(), sorted.front());
  EXPECT_DOUBLE_EQ(h.percentile(1.0), static_cast<double>(sorted.back()));
}

std::vector<std::int64_t> exponential_samples(std::size_t n, double mean, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> v(n);
  for (auto& x : v) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    x = std::llround(-std::log1p(-u) * mean);
  }
  return v;
}

TEST(LatencyHistogram, BucketsTileTheLineWithBoundedWidth) {
  for (std::size_t i = 0; i < 3000; ++i) {
    const std::int64_t lo = LatencyHistogram::bucket_lowest(i), hi = LatencyHistogram::bucket_highest(i);
    ASSERT_LE(lo, hi);
    EXPECT_EQ(LatencyHistogram::bucket_index(lo), i);
    EXPECT_EQ(LatencyHistogram::bucket_index(hi), i);
    EXPECT_EQ(LatencyHistogram::bucket_lowest(i + 1), hi + 1) << "gap or overlap after bucket " << i;
    // Width relative to the lowest value: exact below 256, at most 1/128 above.
    if (lo < LatencyHistogram::kSubBucketCount) EXPECT_EQ(lo, hi);
    else EXPECT_LE(static_cast<double>(hi - lo + 1) / static_cast<double>(lo), 1.0 / 128);
  }
  EXPECT_EQ(LatencyHistogram::bucket_index(INT64_MAX),
            LatencyHistogram::bucket_index(LatencyHistogram::bucket_lowest(LatencyHistogram::bucket_index(INT64_MAX))));
}

TEST(LatencyHistogram, EmptyAndSmallValuesAreExact) {
  LatencyHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.percentile(0.5), 0);
  for (std::int64_t v = 0; v < 256; ++v) h.record(v);
  EXPECT_DOUBLE_EQ(h.percentile(0.5), 127);  // rank 128 of 0..255
  EXPECT_DOUBLE_EQ(h.percentile(0.9), 230);  // rank ceil(230.4) = 231
  EXPECT_DOUBLE_EQ(h.mean(), 127.5);
  h.record(-5);  // clamped to 0
  EXPECT_EQ(h.min(), 0);
}

TEST(LatencyHistogram, UniformIntegersMatchExactPercentiles) {
  std::vector<std::int64_t> values;
  LatencyHistogram h;
  for (std::int64_t v = 1; v <= 100000; ++v) values.push_back(v), h.record(v);
  expect_percentiles_match(values, h);
  EXPECT_DOUBLE_EQ(h.mean(), 50000.5);
}

TEST(LatencyHistogram, ExponentialSamplesMatchExactOrderStatistics) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto values = exponential_samples(200000, 5000.0, seed);
    LatencyHistogram h;
    double sum = 0;
    for (auto v : values) h.record(v), sum += double(v);
    expect_percentiles_match(values, h);
    EXPECT_DOUBLE_EQ(h.mean(), sum / double(values.size()));
    // And the estimate agrees with the distribution: median of Exp(mean) is mean ln 2.
    EXPECT_NEAR(h.percentile(0.5), 5000.0 * std::log(2.0), 5000.0 * 0.02);
  }
}

TEST(LatencyHistogram, ConstantIsExactEverywhere) {
  LatencyHistogram h;
  h.record(12345, 1000);
  for (double q : kQuantiles) EXPECT_DOUBLE_EQ(h.percentile(q), 12345) << q;
  EXPECT_DOUBLE_EQ(h.mean(), 12345);
}

TEST(LatencyHistogram, TwoPointDistributionSwitchesAtTheRightRank) {
  LatencyHistogram h;
  h.record(1000, 900);
  h.record(50000, 100);
  // Ranks 1..900 hold 1000, 901..1000 hold 50000.
  for (double q : {0.01, 0.5, 0.9}) EXPECT_NEAR(h.percentile(q), 1000, 1000 * kRelativeError) << q;
  for (double q : {0.901, 0.95, 0.99}) EXPECT_NEAR(h.percentile(q), 50000, 50000 * kRelativeError) << q;
  EXPECT_DOUBLE_EQ(h.percentile(1.0), 50000);
  EXPECT_DOUBLE_EQ(h.mean(), (900.0 * 1000 + 100.0 * 50000) / 1000);
}

TEST(LatencyHistogram, ShardsMergeIntoTheWholeExactlyAlsoThroughJson) {
  const auto values = exponential_samples(50000, 20000.0, 7);
  LatencyHistogram whole, shards[4];
  for (std::size_t i = 0; i < values.size(); ++i) whole.record(values[i]), shards[i % 4].record(values[i]);
  LatencyHistogram merged, via_json;
  for (auto& s : shards) {
    merged.merge(s);
    via_json.merge(LatencyHistogram::from_json(nlohmann::json::parse(s.to_json().dump())));
  }
  EXPECT_TRUE(merged == whole);
  EXPECT_TRUE(via_json == whole);
  for (double q : kQuantiles) EXPECT_EQ(merged.percentile(q), whole.percentile(q));
  // Merge order does not matter; merging an empty histogram changes nothing.
  LatencyHistogram reversed;
  for (int k = 3; k >= 0; --k) reversed.merge(shards[k]);
  reversed.merge(LatencyHistogram{});
  EXPECT_TRUE(reversed == whole);
}

TEST(LatencyHistogram, FromJsonRejectsOtherLayoutsAndInconsistentCounts) {
  LatencyHistogram h;
  h.record(300, 3);
  nlohmann::json j = h.to_json();
  nlohmann::json other = j;
  other["sub_bucket_bits"] = 7;
  EXPECT_THROW(LatencyHistogram::from_json(other), Error);
  nlohmann::json miscounted = j;
  miscounted["count"] = 4;
  EXPECT_THROW(LatencyHistogram::from_json(miscounted), Error);
  nlohmann::json missing = j;
  missing.erase("buckets");
  EXPECT_THROW(LatencyHistogram::from_json(missing), Error);
  nlohmann::json bad_max = j;
  bad_max["max"] = 999999;
  EXPECT_THROW(LatencyHistogram::from_json(bad_max), Error);
  EXPECT_TRUE(LatencyHistogram::from_json(j) == h);
}

}  // namespace
}  // namespace imaxbench
