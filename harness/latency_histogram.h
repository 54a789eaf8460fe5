// Latency histogram with HDR-style log-linear buckets: values below 2^kSubBucketBits are exact,
// larger ones fall in buckets whose width is at most 1/128 of their lower bound, so a percentile
// read from a bucket's midpoint is within 1/256 (0.4%) of the true order statistic. Merging is a
// bucket-wise add, so shards or ranks merge into exactly the histogram of the whole run and a
// sharded profile reports true global percentiles. Count, sum, min and max are kept exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace imaxbench {

class LatencyHistogram {
 public:
  // 2^8 = 256 sub-buckets: 2 significant decimal digits (HdrHistogram's sizing rule).
  static constexpr int kSubBucketBits = 8;
  static constexpr std::int64_t kSubBucketCount = std::int64_t{1} << kSubBucketBits;
  static constexpr std::int64_t kHalfCount = kSubBucketCount / 2;

  // `value` >= 0 in the histogram's unit (the profile records microseconds); negatives count as 0.
  void record(std::int64_t value, std::uint64_t count = 1);
  // Adds every bucket and the exact totals of `other`.
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::int64_t min() const { return count_ ? min_ : 0; }
  std::int64_t max() const { return count_ ? max_ : 0; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // The value of rank ceil(q * count) (nearest-rank definition, rank >= 1): the midpoint of its
  // bucket, clamped to [min, max]; the first and last ranks are the exact min and max, and a
  // constant histogram is exact. 0 when empty. q outside [0, 1] is clamped.
  double percentile(double q) const;

  // Bucket index of a value and the closed range [lowest, highest] of values a bucket holds.
  static std::size_t bucket_index(std::int64_t value);
  static std::int64_t bucket_lowest(std::size_t index);
  static std::int64_t bucket_highest(std::size_t index);

  // {"sub_bucket_bits", "count", "sum", "min", "max", "buckets": [[index, count], ...]} with only
  // non-empty buckets. from_json throws Error naming what is wrong (other bucket layout, counts
  // that do not add up, ...).
  nlohmann::json to_json() const;
  static LatencyHistogram from_json(const nlohmann::json& j);

  bool operator==(const LatencyHistogram& other) const;

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t sum_ = 0;
  std::int64_t min_ = 0, max_ = 0;
};

}  // namespace imaxbench
