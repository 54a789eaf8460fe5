// What `imaxbench profile` reports from a scenario run: throughput, latency / TTFT / TPOT
// distributions (mergeable histograms), per-stage time, the harness's own share, memory and the
// stability verdict; as JSON (profile.json) and as a console table.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/latency_histogram.h"
#include "harness/profile_scenarios.h"
#include "harness/stability.h"

namespace imaxbench {

// profile.json's schema_version (docs/profile.md).
constexpr int kProfileSchemaVersion = 1;

struct StageTotal {
  std::string name;
  double total_s = 0;          // time the stage occupied (a batched backend stage counts once per batch)
  double per_request_ms = 0;   // mean over answered requests of what each went through
  bool in_window = true;       // false: measured after the timed window (metric statistics)
};

struct ProfileSummary {
  ScenarioOptions options;
  std::size_t workers = 1;
  double wall_s = 0;
  std::size_t requests = 0, answered = 0, failed = 0, queries = 0, warmup_requests = 0, distinct_samples = 0;
  std::string first_error;
  // Image-centric reuse (images/image_cache.h), warm-up included: files decoded, requests that
  // reused one, and the decoding they did not repeat (reuses x mean preparation time).
  bool image_reuse = true;
  std::size_t images_prepared = 0, image_reuses = 0;
  double image_time_saved_s = 0;
  // Inside the backend (torchscript): vision-tower encodes and prompt-prefix KV caches reused.
  std::optional<BackendReuse> backend_reuse;
  double schedule_span_s = 0;  // server
  double samples_per_s = 0, images_per_s = 0, output_tokens_per_s = 0, input_tokens_per_s = 0;
  LatencyHistogram latency_us, ttft_us, tpot_us;  // answered requests; microseconds
  std::vector<StageTotal> stages;
  double harness_overhead_s = 0, harness_share = 0;
  StabilityResult stability;
  std::optional<std::int64_t> peak_host_rss_bytes, peak_device_memory_bytes;
  double scoring_wall_s = 0;   // the accuracy pass after the window
};

ProfileSummary summarize_profile(const ScenarioRun& run, const ScenarioOptions& options);

// Adds the "metric_statistics" stage, measured while scoring the pass after the window.
void add_metric_statistics(ProfileSummary& summary, double total_s, std::size_t samples, double scoring_wall_s);

// {"scenario", "run", "throughput", "latency_ms", "ttft_ms", "tpot_ms", "stages", "harness",
// "memory", "stability"}; distributions carry mean, p50, p90, p99, max and their histogram.
nlohmann::json profile_json(const ProfileSummary& summary);

// The console report of the same numbers (the accuracy table is the console sink's).
void print_profile_table(const ProfileSummary& summary, std::ostream& out);

}  // namespace imaxbench
