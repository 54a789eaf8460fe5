// The scenarios of `imaxbench profile` (MLPerf LoadGen's, over the Backend interface):
//   offline        every sample available at once; batches of --batch-size back to back (throughput).
//   single-stream  one request at a time, the next issued when the last returns (latency).
//   server         seeded Poisson arrivals at --target-qps; each request is issued at its scheduled
//                  time when a worker is free, latency counted from the scheduled arrival as
//                  LoadGen does, so queueing under load shows (latency under load).
// A query decodes and preprocesses its images (parallel across the batch), calls infer() and
// parses each answer with its task, timing every stage. Warm-up queries run first and are not
// recorded. The timed run lasts at least min_duration_s and min_queries requests (LoadGen's rule)
// and answers every sample at least once, cycling through the samples as LoadGen does, so the
// accuracy of the same pass covers the whole selection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/answers.h"
#include "harness/backend_driver.h"
#include "harness/run_pipeline.h"

namespace imaxbench {

enum class Scenario { kOffline, kSingleStream, kServer };

// "offline", "single-stream" or "server"; throws UsageError otherwise.
Scenario parse_scenario(const std::string& text);
const char* scenario_name(Scenario scenario);

// The drivers' time source (harness/backend_driver.h): steady_clock in a profile, a virtual clock
// in tests.
using ProfileClock = DriverClock;

// Arrival times in seconds from 0 of a Poisson process at `qps`: exponential gaps -ln(1-u)/qps,
// u from mt19937_64(seed) (whose bits the standard fixes, unlike std::exponential_distribution's),
// so a seed gives the same schedule everywhere. At least `min_count` arrivals (>= 1), continuing
// until the last is at or after `min_duration_s`. Throws UsageError unless qps > 0.
std::vector<double> poisson_schedule(double qps, std::size_t min_count, double min_duration_s,
                                     std::uint64_t seed);

struct ScenarioOptions {
  Scenario scenario = Scenario::kOffline;
  std::size_t batch_size = 1;     // offline: batch; server: most arrived requests per infer() call
  std::size_t concurrency = 1;    // server: infer() calls in flight when backend.concurrent_infer()
  double target_qps = 0;          // server
  std::size_t warmup_queries = 0;
  double min_duration_s = 0;
  std::size_t min_queries = 0;    // timed requests (samples), LoadGen's min_query_count
  bool full_pass = true;          // answer every sample at least once
  std::uint64_t seed = 0;         // server schedule
  bool image_reuse = true;        // decode each file once for all its requests (images/image_cache.h)
};

// One timed request. Times are seconds from the start of the timed window.
struct TimedRequest {
  std::size_t item = 0;       // index into the work items
  double issue_s = 0;         // scheduled arrival (server) or when its query was taken up
  double done_s = 0;          // infer() returned with its answer
  double latency_ms = 0;      // done - issue
  double ttft_ms = -1;        // issue to first token; -1 when the backend reports none
  double tpot_ms = -1;        // per output token after the first; -1 without ttft or with < 2 tokens
  std::int64_t input_tokens = 0, output_tokens = 0;
  StageTimes stages;          // what this request went through: harness decode/preprocess + backend's
  double backend_preprocess_ms = 0;  // the backend's part of stages.preprocess_ms
  double infer_ms = 0;        // the infer() call it was part of
  double parse_ms = 0;
  bool failed = false;
};

// One query (a batch handed to infer() together). Stage times in seconds.
struct TimedQuery {
  std::size_t requests = 0;
  double dispatch_s = 0, end_s = 0;       // taken up by a worker; last answer parsed
  double decode_s = 0, preprocess_s = 0;  // the batch's image preparation wall time, split by stage
  double infer_s = 0;                     // inside Backend::infer
  StageTimes backend;                     // per backend stage, its longest request (ms): a batched
                                          // call runs a stage once for all of them
  double parse_s = 0;
};

struct ScenarioRun {
  Scenario scenario = Scenario::kOffline;
  bool closed_loop = true;       // offline, single-stream: the next query waits for nothing else
  std::size_t workers = 1;
  double wall_s = 0;             // window start to the last query's end
  double schedule_span_s = 0;    // server: the last scheduled arrival
  std::size_t warmup_requests = 0;
  std::vector<TimedRequest> requests;  // completion order
  std::vector<TimedQuery> queries;     // completion order
  std::vector<std::optional<Answer>> answers;  // per item: its first timed answer
  std::size_t failed = 0;
  std::string first_error;       // id and error of the first failed request
  std::size_t images_prepared = 0;  // image files decoded, warm-up included
  std::size_t image_reuses = 0;     // requests that got an already decoded image
  double image_prepared_s = 0;      // decode + preprocess time of those files
  std::optional<BackendReuse> backend_reuse;  // encodes and prompt prefixes the backend reused
};

// Runs the scenario over `items` (cycled). Throws Error when the backend breaks its contract
// (wrong number of responses); a throwing infer() fails the query's requests, which are counted.
ScenarioRun run_scenario(Backend& backend, std::span<const WorkItem> items, const ScenarioOptions& options,
                         ProfileClock& clock = steady_driver_clock());

}  // namespace imaxbench
