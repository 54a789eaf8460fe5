// Sharded profiles merged: a profile.json read back gives the summary it was written from, and the
// shards' summaries join as side-by-side runs (counts and throughput add, histograms merge
// bucket-wise into the histogram of all requests, per-request stage means weighted by requests,
// stable only when every shard is; another scenario is refused).
#include <gtest/gtest.h>

#include "core/error.h"
#include "harness/profile_merge.h"

namespace imaxbench {
namespace {

ProfileSummary shard(std::int64_t first_us, std::size_t answered, double wall_s, bool stable) {
  ProfileSummary s;
  s.options.scenario = Scenario::kOffline;
  s.options.batch_size = 8;
  s.options.min_queries = 10;
  s.wall_s = wall_s;
  s.requests = s.answered = answered;
  s.queries = answered / 2;
  s.distinct_samples = answered;
  s.samples_per_s = static_cast<double>(answered) / wall_s;
  s.images_per_s = s.samples_per_s;
  for (std::size_t i = 0; i < answered; ++i) s.latency_us.record(first_us + static_cast<std::int64_t>(i) * 37);
  s.stages = {{"image_decode", 0.5 * wall_s, 2.0, true}, {"metric_statistics", 0.01, 0.1, false}};
  s.harness_overhead_s = 0.01 * wall_s;
  s.harness_share = 0.01;
  s.peak_host_rss_bytes = 1000 + static_cast<std::int64_t>(answered);
  s.stability.judged = true;
  s.stability.stable = stable;
  s.stability.message = stable ? "stable" : "NOT STABLE: window 2";
  return s;
}

TEST(ProfileMerge, JsonRoundTrip) {
  const ProfileSummary s = shard(500, 40, 2.0, true);
  nlohmann::json written = profile_json(s);
  const ProfileSummary back = profile_summary_from_json(written, "p.json");
  nlohmann::json again = profile_json(back);
  // Windows are per shard and not read back; everything else is.
  written["stability"]["windows"] = again["stability"]["windows"];
  EXPECT_EQ(written, again);
  EXPECT_THROW(profile_summary_from_json(nlohmann::json{{"scenario", 1}}, "bad.json"), Error);
}

TEST(ProfileMerge, ShardsSideBySide) {
  const ProfileSummary a = shard(500, 40, 2.0, true), b = shard(9000, 60, 3.0, true);
  const ProfileSummary m = merge_profile_summaries({a, b}, {"s1", "s2"});
  LatencyHistogram all = a.latency_us;
  all.merge(b.latency_us);
  EXPECT_EQ(m.latency_us, all);
  EXPECT_EQ(m.latency_us.count(), 100u);
  EXPECT_EQ(m.answered, 100u);
  EXPECT_EQ(m.distinct_samples, 100u);
  EXPECT_DOUBLE_EQ(m.wall_s, 3.0);
  EXPECT_DOUBLE_EQ(m.samples_per_s, 20.0 + 20.0);
  EXPECT_EQ(m.peak_host_rss_bytes, 1060);
  ASSERT_EQ(m.stages.size(), 2u);
  EXPECT_DOUBLE_EQ(m.stages[0].total_s, 2.5);
  EXPECT_DOUBLE_EQ(m.stages[0].per_request_ms, 2.0);
  EXPECT_FALSE(m.stages[1].in_window);
  EXPECT_TRUE(m.stability.stable);
  // The merged median lies in the second shard's range: 60 of the 100 requests are there.
  EXPECT_GT(m.latency_us.percentile(0.5), 9000.0);

  const ProfileSummary u = merge_profile_summaries({a, shard(700, 10, 1.0, false)}, {"s1", "s2"});
  EXPECT_FALSE(u.stability.stable);
  EXPECT_NE(u.stability.message.find("s2: NOT STABLE: window 2"), std::string::npos);

  ProfileSummary other = b;
  other.options.min_queries = 50;
  EXPECT_THROW(merge_profile_summaries({a, other}, {"s1", "s2"}), Error);
}

}  // namespace
}  // namespace imaxbench
