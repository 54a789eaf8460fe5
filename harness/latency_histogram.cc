#include "harness/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "core/error.h"

namespace imaxbench {

std::size_t LatencyHistogram::bucket_index(std::int64_t value) {
  if (value < kSubBucketCount) return static_cast<std::size_t>(std::max<std::int64_t>(value, 0));
  const auto v = static_cast<std::uint64_t>(value);
  const int msb = 63 - std::countl_zero(v);              // >= kSubBucketBits
  const int shift = msb - (kSubBucketBits - 1);          // >= 1: bucket width 2^shift
  const auto sub = static_cast<std::int64_t>(v >> shift);  // in [kHalfCount, kSubBucketCount)
  return static_cast<std::size_t>(kSubBucketCount + (shift - 1) * kHalfCount + (sub - kHalfCount));
}

std::int64_t LatencyHistogram::bucket_lowest(std::size_t index) {
  const auto i = static_cast<std::int64_t>(index);
  if (i < kSubBucketCount) return i;
  const std::int64_t k = i - kSubBucketCount;
  const int shift = static_cast<int>(k / kHalfCount) + 1;
  return (kHalfCount + k % kHalfCount) << shift;
}

std::int64_t LatencyHistogram::bucket_highest(std::size_t index) {
  const auto i = static_cast<std::int64_t>(index);
  if (i < kSubBucketCount) return i;
  const int shift = static_cast<int>((i - kSubBucketCount) / kHalfCount) + 1;
  return bucket_lowest(index) + (std::int64_t{1} << shift) - 1;
}

void LatencyHistogram::record(std::int64_t value, std::uint64_t count) {
  if (count == 0) return;
  value = std::max<std::int64_t>(value, 0);
  const std::size_t i = bucket_index(value);
  if (i >= buckets_.size()) buckets_.resize(i + 1, 0);
  buckets_[i] += count;
  min_ = count_ ? std::min(min_, value) : value;
  max_ = count_ ? std::max(max_, value) : value;
  count_ += count;
  sum_ += value * static_cast<std::int64_t>(count);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (other.buckets_.size() > buckets_.size()) buckets_.resize(other.buckets_.size(), 0);
  for (std::size_t i = 0; i < other.buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = count_ ? std::max(max_, other.max_) : other.max_;
  count_ += other.count_;
  sum_ += other.sum_;
}

double LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  if (rank == count_) return static_cast<double>(max_);  // the extremes are known exactly
  if (rank == 1) return static_cast<double>(min_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const double lo = static_cast<double>(bucket_lowest(i)), hi = static_cast<double>(bucket_highest(i));
      return std::clamp(lo + (hi - lo) / 2, static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);  // unreachable: the buckets hold count_ values
}

nlohmann::json LatencyHistogram::to_json() const {
  nlohmann::json buckets = nlohmann::json::array();
  for (std::size_t i = 0; i < buckets_.size(); ++i)
    if (buckets_[i]) buckets.push_back({i, buckets_[i]});
  return {{"sub_bucket_bits", kSubBucketBits}, {"count", count_}, {"sum", sum_},
          {"min", min()}, {"max", max()}, {"buckets", std::move(buckets)}};
}

LatencyHistogram LatencyHistogram::from_json(const nlohmann::json& j) {
  auto fail = [](const std::string& what) { throw Error("latency histogram JSON: " + what); };
  if (!j.is_object()) fail("expected an object");
  for (const char* key : {"sub_bucket_bits", "count", "sum", "min", "max", "buckets"})
    if (!j.contains(key)) fail(std::string("missing \"") + key + "\"");
  if (j["sub_bucket_bits"] != kSubBucketBits)
    fail("sub_bucket_bits " + j["sub_bucket_bits"].dump() + " but this build uses " +
         std::to_string(kSubBucketBits) + "; histograms with other layouts cannot be merged");
  LatencyHistogram h;
  try {
    std::uint64_t total = 0;
    for (const auto& b : j["buckets"]) {
      if (!b.is_array() || b.size() != 2) fail("a bucket is not [index, count]: " + b.dump());
      const auto index = b[0].get<std::size_t>();
      const auto n = b[1].get<std::uint64_t>();
      if (index > bucket_index(INT64_MAX)) fail("bucket index " + std::to_string(index) + " out of range");
      if (index >= h.buckets_.size()) h.buckets_.resize(index + 1, 0);
      h.buckets_[index] += n;
      total += n;
    }
    h.count_ = j["count"].get<std::uint64_t>();
    h.sum_ = j["sum"].get<std::int64_t>();
    h.min_ = j["min"].get<std::int64_t>();
    h.max_ = j["max"].get<std::int64_t>();
    if (total != h.count_)
      fail("buckets hold " + std::to_string(total) + " values but count is " + std::to_string(h.count_));
    auto holds = [&](std::int64_t v) {
      const std::size_t i = bucket_index(v);
      return v >= 0 && i < h.buckets_.size() && h.buckets_[i] > 0;
    };
    if (h.count_ && (!holds(h.min_) || !holds(h.max_) || h.min_ > h.max_))
      fail("min " + std::to_string(h.min_) + " or max " + std::to_string(h.max_) + " is not in a non-empty bucket");
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("bad value: ") + e.what());
  }
  return h;
}

bool LatencyHistogram::operator==(const LatencyHistogram& other) const {
  if (count_ != other.count_ || sum_ != other.sum_ || min() != other.min() || max() != other.max()) return false;
  const std::size_t n = std::max(buckets_.size(), other.buckets_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t a = i < buckets_.size() ? buckets_[i] : 0, b = i < other.buckets_.size() ? other.buckets_[i] : 0;
    if (a != b) return false;
  }
  return true;
}

}  // namespace imaxbench
