// The profile scenarios on a virtual clock, with a fake backend whose calls take known times, so
// that latency, throughput, queueing, warm-up exclusion, LoadGen's min-duration/min-queries rule,
// the seeded Poisson schedule and the stability flag are checked exactly. One test uses the real
// clock to check that server mode keeps several calls in flight when the backend allows it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "harness/profile_report.h"
#include "harness/profile_scenarios.h"
#include "harness/score_suite.h"

namespace imaxbench {
namespace {

const std::string kSuite = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/suite.json";

class VirtualClock : public ProfileClock {
 public:
  double now_s() override { return t_.load(); }
  void sleep_until_s(double t) override {
    double cur = t_.load();
    while (cur < t && !t_.compare_exchange_weak(cur, t)) {
    }
  }
  void advance(double s) { t_.fetch_add(s); }

 private:
  std::atomic<double> t_{1000.0};
};

// Each call takes batch_ms + per_request_ms * n on the clock (or `cost(call)` when set); answers
// "0". generative: ttft at a quarter of the call, 5 output tokens.
class FakeBackend : public Backend {
 public:
  explicit FakeBackend(VirtualClock& clock) : clock_(clock) {}
  double batch_ms = 0, per_request_ms = 0;
  std::function<double(std::size_t)> cost;  // call number -> ms
  bool generative = false;
  std::size_t throw_every = 0;  // every k-th call throws
  std::vector<std::size_t> batch_sizes;
  std::vector<std::size_t> first_index;

  std::string name() const override { return "fake"; }
  std::string device() const override { return "cpu"; }
  std::vector<Response> infer(std::span<const Request> batch) override {
    const std::size_t call = batch_sizes.size();
    batch_sizes.push_back(batch.size());
    first_index.push_back(batch[0].index);
    const double ms = cost ? cost(call) : batch_ms + per_request_ms * double(batch.size());
    clock_.advance(ms / 1000);
    if (throw_every && (call + 1) % throw_every == 0) throw std::runtime_error("boom");
    std::vector<Response> out(batch.size());
    for (auto& r : out) {
      r.text = "0";
      r.input_tokens = 10;
      if (generative) r.output_tokens = 5, r.ttft_ms = ms / 4, r.latency_ms = ms, r.stages.decode_ms = ms * 3 / 4;
    }
    return out;
  }

 private:
  VirtualClock& clock_;
};

class ProfileScenarios : public testing::Test {
 protected:
  void SetUp() override {
    loaded_ = load_suite_splits(kSuite, "", SplitOptions{});
    items_ = make_work_items(loaded_, {});
    ASSERT_GT(items_.size(), 100u);
  }
  ScenarioOptions closed(Scenario s, std::size_t batch, std::size_t min_queries, double min_duration = 0) {
    ScenarioOptions o;
    o.scenario = s;
    o.batch_size = batch;
    o.min_queries = min_queries;
    o.min_duration_s = min_duration;
    o.full_pass = false;
    return o;
  }
  LoadedSuite loaded_;
  std::vector<WorkItem> items_;
  VirtualClock clock_;
};

TEST_F(ProfileScenarios, SingleStreamLatencyAndThroughputAreExactAndWarmupIsExcluded) {
  FakeBackend b(clock_);
  b.cost = [](std::size_t call) { return call < 3 ? 100.0 : 5.0; };  // slow warm-up calls
  ScenarioOptions o = closed(Scenario::kSingleStream, 4 /* ignored */, 50);
  o.warmup_queries = 3;
  ScenarioRun run = run_scenario(b, items_, o, clock_);
  EXPECT_EQ(run.warmup_requests, 3u);
  ASSERT_EQ(run.requests.size(), 50u);
  ASSERT_EQ(b.batch_sizes.size(), 53u);
  for (auto n : b.batch_sizes) EXPECT_EQ(n, 1u);
  EXPECT_EQ(b.first_index[3], items_[0].index) << "the timed pass starts at the first sample";
  for (const auto& r : run.requests) EXPECT_NEAR(r.latency_ms, 5.0, 1e-6);
  EXPECT_NEAR(run.wall_s, 0.25, 1e-9);
  ProfileSummary s = summarize_profile(run, o);
  EXPECT_NEAR(s.samples_per_s, 200.0, 1e-6);
  EXPECT_NEAR(s.input_tokens_per_s, 2000.0, 1e-5);
  EXPECT_NEAR(s.latency_us.max() / 1e3, 5.0, 1e-3) << "a warm-up latency leaked in";
  EXPECT_NEAR(s.harness_overhead_s, 0.0, 1e-9);
  EXPECT_TRUE(s.ttft_us.empty());
  double stage_sum = 0;
  for (const auto& st : s.stages) stage_sum += st.total_s;
  EXPECT_NEAR(stage_sum, run.wall_s, 1e-9);
}

TEST_F(ProfileScenarios, OfflineUsesFullBatchesAndCoversEverySample) {
  FakeBackend b(clock_);
  b.batch_ms = 10, b.per_request_ms = 1;  // 18 ms per batch of 8
  ScenarioOptions o = closed(Scenario::kOffline, 8, 0);
  o.full_pass = true;
  ScenarioRun run = run_scenario(b, items_, o, clock_);
  const std::size_t batches = (items_.size() + 7) / 8;
  ASSERT_EQ(run.queries.size(), batches);
  EXPECT_EQ(run.requests.size(), batches * 8);
  for (auto n : b.batch_sizes) EXPECT_EQ(n, 8u);
  for (const auto& a : run.answers) EXPECT_TRUE(a.has_value());
  for (const auto& r : run.requests) EXPECT_NEAR(r.latency_ms, 18.0, 1e-6);
  ProfileSummary s = summarize_profile(run, o);
  EXPECT_EQ(s.distinct_samples, items_.size());
  EXPECT_NEAR(s.samples_per_s, 8 / 0.018, 1e-6);
  EXPECT_NEAR(s.latency_us.percentile(0.99), 18000, 18000.0 / 256);
}

TEST_F(ProfileScenarios, RunLastsMinDurationAndMinQueriesWhicheverIsLonger) {
  FakeBackend b(clock_);
  b.per_request_ms = 5;
  ScenarioRun by_duration = run_scenario(b, items_, closed(Scenario::kSingleStream, 1, 10, 1.0), clock_);
  EXPECT_GE(by_duration.wall_s, 1.0 - 1e-9);
  EXPECT_GE(by_duration.requests.size(), 200u);
  EXPECT_LE(by_duration.requests.size(), 201u);
  ScenarioRun by_count = run_scenario(b, items_, closed(Scenario::kSingleStream, 1, 120, 0.01), clock_);
  EXPECT_EQ(by_count.requests.size(), 120u);
  // Samples are cycled past the end of the selection.
  ScenarioOptions o = closed(Scenario::kSingleStream, 1, items_.size() + 5);
  ScenarioRun cycled = run_scenario(b, items_, o, clock_);
  EXPECT_EQ(cycled.requests.back().item, 4u);
}

TEST_F(ProfileScenarios, PoissonScheduleIsSeededAndHasTheTargetRate) {
  auto a = poisson_schedule(50, 20000, 0, 11), b = poisson_schedule(50, 20000, 0, 11);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, poisson_schedule(50, 20000, 0, 12));
  ASSERT_EQ(a.size(), 20000u);
  EXPECT_NEAR(double(a.size()) / a.back(), 50.0, 50.0 * 0.03);
  // Exponential gaps: standard deviation equals the mean.
  double sum = 0, sq = 0, prev = 0;
  for (double t : a) sum += t - prev, sq += (t - prev) * (t - prev), prev = t;
  const double mean = sum / double(a.size()), sd = std::sqrt(sq / double(a.size()) - mean * mean);
  EXPECT_NEAR(sd / mean, 1.0, 0.03);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  auto longer = poisson_schedule(10, 5, 3.0, 1);
  EXPECT_GE(longer.back(), 3.0);
  EXPECT_GE(longer.size(), 5u);
  EXPECT_THROW(poisson_schedule(0, 5, 0, 1), UsageError);
}

TEST_F(ProfileScenarios, ServerLatencyCountsQueueingFromTheScheduledArrival) {
  FakeBackend b(clock_);
  b.per_request_ms = 30;  // slower than the 50 qps arrivals on average: a queue builds
  ScenarioOptions o = closed(Scenario::kServer, 1, 200);
  o.target_qps = 50;
  o.seed = 5;
  ScenarioRun run = run_scenario(b, items_, o, clock_);
  const auto schedule = poisson_schedule(50, 200, 0, 5);
  ASSERT_EQ(run.requests.size(), schedule.size());
  EXPECT_DOUBLE_EQ(run.schedule_span_s, schedule.back());
  double free_at = 0;  // one server, first come first served
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const double done = std::max(free_at, schedule[i]) + 0.030;
    EXPECT_NEAR(run.requests[i].issue_s, schedule[i], 1e-6);
    EXPECT_NEAR(run.requests[i].latency_ms, 1000 * (done - schedule[i]), 1e-5) << i;
    free_at = done;
  }
}

TEST_F(ProfileScenarios, ServerBatchesRequestsThatArrivedWhileBusy) {
  FakeBackend b(clock_);
  b.batch_ms = 100;  // arrivals at 50 qps pile up during each call
  ScenarioOptions o = closed(Scenario::kServer, 4, 100);
  o.target_qps = 50;
  ScenarioRun run = run_scenario(b, items_, o, clock_);
  EXPECT_EQ(run.requests.size(), 100u);
  EXPECT_EQ(*std::max_element(b.batch_sizes.begin(), b.batch_sizes.end()), 4u);
}

TEST_F(ProfileScenarios, GenerativeTimesGiveTtftAndTpot) {
  FakeBackend b(clock_);
  b.per_request_ms = 40;
  b.generative = true;
  ScenarioOptions o = closed(Scenario::kSingleStream, 1, 30);
  ScenarioRun run = run_scenario(b, items_, o, clock_);
  ProfileSummary s = summarize_profile(run, o);
  ASSERT_EQ(s.ttft_us.count(), 30u);
  EXPECT_NEAR(s.ttft_us.percentile(0.5) / 1e3, 10.0, 10.0 / 256);
  EXPECT_NEAR(s.tpot_us.percentile(0.5) / 1e3, 30.0 / 4, 7.5 / 256);
  EXPECT_NEAR(s.output_tokens_per_s, 5 / 0.040, 1e-6);
  EXPECT_NEAR(s.stages[4].total_s, 30 * 0.030, 1e-9);       // decode
  EXPECT_NEAR(s.stages[5].total_s, 30 * 0.010, 1e-9);       // backend_other
}

TEST_F(ProfileScenarios, FailuresAreCountedAndLeftOutOfLatency) {
  FakeBackend b(clock_);
  b.per_request_ms = 2;
  b.throw_every = 4;
  ScenarioOptions o = closed(Scenario::kSingleStream, 1, 40);
  ScenarioRun run = run_scenario(b, items_, o, clock_);
  EXPECT_EQ(run.failed, 10u);
  EXPECT_NE(run.first_error.find("boom"), std::string::npos);
  ProfileSummary s = summarize_profile(run, o);
  EXPECT_EQ(s.latency_us.count(), 30u);
  EXPECT_NEAR(s.samples_per_s, 30 / 0.080, 1e-6);
}

TEST_F(ProfileScenarios, StabilityFlagsDriftAndShortRuns) {
  FakeBackend steady(clock_);
  steady.per_request_ms = 5;
  ScenarioOptions o = closed(Scenario::kSingleStream, 1, 120);
  ProfileSummary s = summarize_profile(run_scenario(steady, items_, o, clock_), o);
  EXPECT_TRUE(s.stability.judged);
  EXPECT_TRUE(s.stability.stable) << s.stability.message;

  FakeBackend drifting(clock_);
  drifting.cost = [](std::size_t call) { return 5.0 + 0.1 * double(call); };  // 5 ms -> 17 ms
  s = summarize_profile(run_scenario(drifting, items_, o, clock_), o);
  EXPECT_TRUE(s.stability.judged);
  EXPECT_FALSE(s.stability.stable);
  EXPECT_EQ(s.stability.message.rfind("NOT STABLE", 0), 0u) << s.stability.message;

  ScenarioOptions short_run = closed(Scenario::kSingleStream, 1, 10);
  s = summarize_profile(run_scenario(steady, items_, short_run, clock_), short_run);
  EXPECT_FALSE(s.stability.judged);
  EXPECT_FALSE(s.stability.stable);
}

// Real clock: each call sleeps 50 ms while arrivals come every 5 ms on average.
class SleepyConcurrentBackend : public Backend {
 public:
  std::atomic<int> in_flight{0}, most{0};
  std::string name() const override { return "sleepy"; }
  std::string device() const override { return "cpu"; }
  bool concurrent_infer() const override { return true; }
  std::vector<Response> infer(std::span<const Request> batch) override {
    const int now = ++in_flight;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    --in_flight;
    return std::vector<Response>(batch.size(), Response{"0", "", 0, 0, 0, 0, {}});
  }
};

TEST_F(ProfileScenarios, ServerKeepsConcurrentCallsInFlightWhenTheBackendAllows) {
  SleepyConcurrentBackend b;
  ScenarioOptions o;
  o.scenario = Scenario::kServer;
  o.target_qps = 200;
  o.concurrency = 4;
  o.min_queries = 40;
  o.full_pass = false;
  ScenarioRun run = run_scenario(b, items_, o);
  EXPECT_EQ(run.workers, 4u);
  EXPECT_EQ(run.requests.size(), 40u);
  EXPECT_GE(b.most.load(), 2);
  EXPECT_LE(b.most.load(), 4);
  for (const auto& r : run.requests) EXPECT_GE(r.latency_ms, 50.0 - 1.0);
}

}  // namespace
}  // namespace imaxbench
