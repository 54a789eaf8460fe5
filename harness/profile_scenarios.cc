#include "harness/profile_scenarios.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

#include "core/error.h"
#include "tasks/reasoning_answer.h"
#include "tasks/task.h"

namespace imaxbench {

namespace {

// A request's fixed part (prompt filled once, not per query) and what parsing its answer needs.
struct Prepared {
  Request request;
  const Sample* sample = nullptr;
  const Task* task = nullptr;
  const TaskOptions* options = nullptr;
};

class Driver {
 public:
  Driver(Backend& backend, std::span<const WorkItem> items, ProfileClock& clock, bool image_reuse)
      : clock_(clock), driver_(backend, image_reuse, clock) {
    for (const WorkItem& w : items) {
      prepared_.push_back({request_for(w), w.sample, w.task, &w.suite_task->options});
    }
    run_.answers.assign(prepared_.size(), std::nullopt);
  }

  std::size_t size() const { return prepared_.size(); }
  void start_window() { t0_ = clock_.now_s(); }
  double window_start() const { return t0_; }
  ScenarioRun& result() { return run_; }
  const ImageCache& images() const { return driver_.images(); }

  // Runs the requests at positions first, first+1, ... (modulo the items) as one query; `issue`
  // holds each request's issue time (absolute), empty: when the query is taken up.
  void run_query(std::size_t first, std::size_t count, std::vector<double> issue, bool timed);

 private:
  ProfileClock& clock_;
  BackendDriver driver_;
  std::vector<Prepared> prepared_;
  double t0_ = 0;
  std::mutex mu_;  // guards run_ (server workers)
  ScenarioRun run_;
};

void Driver::run_query(std::size_t first, std::size_t count, std::vector<double> issue, bool timed) {
  const double dispatch = clock_.now_s();
  if (issue.empty()) issue.assign(count, dispatch);
  std::vector<std::size_t> item(count);
  std::vector<Request> reqs(count);
  for (std::size_t i = 0; i < count; ++i) {
    item[i] = (first + i) % prepared_.size();
    reqs[i] = prepared_[item[i]].request;
  }
  Query query(std::move(reqs));
  TimedQuery q;
  q.requests = count;
  q.dispatch_s = dispatch - t0_;
  driver_.prepare(query);
  // The batch's preparation wall time, shared between the stages as their per-sample sums are.
  double d = 0, p = 0;
  for (const StageTimes& h : query.harness) d += h.image_decode_ms, p += h.preprocess_ms;
  q.decode_s = d + p > 0 ? query.prepare_s * d / (d + p) : query.prepare_s;
  q.preprocess_s = query.prepare_s - q.decode_s;
  driver_.infer(query, OnThrow::kFailQuery);
  const double infer_start = query.infer_start_s, infer_end = query.infer_end_s;
  q.infer_s = infer_end - infer_start;

  std::vector<TimedRequest> recs(count);
  for (std::size_t i = 0; i < count; ++i) {
    Response& r = query.responses[i];
    TimedRequest& t = recs[i];
    t.item = item[i];
    t.issue_s = issue[i] - t0_;
    t.done_s = infer_end - t0_;
    t.latency_ms = 1000 * (infer_end - issue[i]);
    t.failed = !r.error.empty();
    t.infer_ms = 1000 * q.infer_s;
    t.input_tokens = r.input_tokens;
    t.output_tokens = r.output_tokens;
    t.stages = r.stages;
    t.stages.image_decode_ms = query.harness[i].image_decode_ms;
    t.stages.preprocess_ms = query.harness[i].preprocess_ms + r.stages.preprocess_ms;
    t.backend_preprocess_ms = r.stages.preprocess_ms;
    q.backend.preprocess_ms = std::max(q.backend.preprocess_ms, r.stages.preprocess_ms);
    q.backend.vision_ms = std::max(q.backend.vision_ms, r.stages.vision_ms);
    q.backend.prefill_ms = std::max(q.backend.prefill_ms, r.stages.prefill_ms);
    q.backend.decode_ms = std::max(q.backend.decode_ms, r.stages.decode_ms);
    if (!t.failed && r.ttft_ms > 0) {
      t.ttft_ms = 1000 * (infer_start - issue[i]) + r.ttft_ms;
      if (r.output_tokens > 1) t.tpot_ms = std::max(0.0, r.latency_ms - r.ttft_ms) / double(r.output_tokens - 1);
    }
    if (!t.failed) {
      const Prepared& pr = prepared_[item[i]];
      const double a = clock_.now_s();
      [[maybe_unused]] Prediction parsed = read_answer(*pr.task, *pr.sample, r.text, *pr.options);
      t.parse_ms = 1000 * (clock_.now_s() - a);
      q.parse_s += t.parse_ms / 1000;
    }
  }
  q.end_s = clock_.now_s() - t0_;
  std::lock_guard lock(mu_);
  if (!timed) {
    run_.warmup_requests += count;
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    Response& r = query.responses[i];
    if (recs[i].failed) {
      ++run_.failed;
      if (run_.first_error.empty()) run_.first_error = prepared_[item[i]].request.id + ": " + r.error;
    }
    auto& slot = run_.answers[item[i]];
    if (!slot) {
      slot.emplace();
      slot->text = std::move(r.text);
      slot->error = std::move(r.error);
      slot->latency_ms = r.latency_ms;
      slot->output_tokens = r.output_tokens;
    }
    run_.requests.push_back(recs[i]);
  }
  run_.wall_s = std::max(run_.wall_s, q.end_s);
  run_.queries.push_back(q);
}

// Requests a timed run must answer.
std::size_t required_requests(const ScenarioOptions& o, std::size_t items) {
  return std::max<std::size_t>({o.min_queries, o.full_pass ? items : 0, 1});
}

void run_closed_loop(Driver& d, const ScenarioOptions& o) {
  const std::size_t batch = o.scenario == Scenario::kSingleStream ? 1 : std::max<std::size_t>(1, o.batch_size);
  for (std::size_t w = 0; w < o.warmup_queries; ++w) d.run_query(w * batch, batch, {}, false);
  const std::size_t need = required_requests(o, d.size());
  d.start_window();
  std::size_t next = 0;
  // The recorded wall (the last query's end), not a later clock reading: min_duration_met is
  // judged on it, and a check a moment after the end could stop a run just short of it.
  while (next < need || d.result().wall_s < o.min_duration_s) {
    d.run_query(next, batch, {}, true);
    next += batch;
  }
}

void run_server(Driver& d, const ScenarioOptions& o, ProfileClock& clock, std::size_t workers) {
  const std::size_t batch = std::max<std::size_t>(1, o.batch_size);
  for (std::size_t w = 0; w < o.warmup_queries; ++w) d.run_query(w, 1, {}, false);
  const std::vector<double> schedule =
      poisson_schedule(o.target_qps, required_requests(o, d.size()), o.min_duration_s, o.seed);
  d.result().schedule_span_s = schedule.back();
  d.start_window();
  const double t0 = d.window_start();
  std::mutex mu;
  std::size_t next = 0;
  auto worker = [&] {
    std::unique_lock lock(mu);
    while (next < schedule.size()) {
      const double due = t0 + schedule[next];
      lock.unlock();
      clock.sleep_until_s(due);
      lock.lock();
      if (next >= schedule.size()) break;
      const double now = clock.now_s();
      if (t0 + schedule[next] > now) continue;  // another worker took the one we waited for
      const std::size_t first = next;
      while (next < schedule.size() && next - first < batch && t0 + schedule[next] <= now) ++next;
      std::vector<double> issue;
      for (std::size_t k = first; k < next; ++k) issue.push_back(t0 + schedule[k]);
      // Counted under the lock: once it is released another worker may advance `next`.
      const std::size_t count = issue.size();
      lock.unlock();
      d.run_query(first, count, std::move(issue), true);
      lock.lock();
    }
  };
  if (workers <= 1) {
    worker();
    return;
  }
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  std::mutex failure_mu;
  for (std::size_t w = 0; w < workers; ++w)
    threads.emplace_back([&] {
      try {
        worker();
      } catch (...) {
        std::lock_guard g(failure_mu);
        if (!failure) failure = std::current_exception();
        std::lock_guard g2(mu);
        next = schedule.size();  // the others stop after their query
      }
    });
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

Scenario parse_scenario(const std::string& text) {
  if (text == "offline") return Scenario::kOffline;
  if (text == "single-stream") return Scenario::kSingleStream;
  if (text == "server") return Scenario::kServer;
  throw UsageError("--scenario must be offline, single-stream or server (got '" + text + "')");
}

const char* scenario_name(Scenario s) {
  switch (s) {
    case Scenario::kOffline: return "offline";
    case Scenario::kSingleStream: return "single-stream";
    case Scenario::kServer: return "server";
  }
  return "?";
}

std::vector<double> poisson_schedule(double qps, std::size_t min_count, double min_duration_s, std::uint64_t seed) {
  if (!(qps > 0) || !std::isfinite(qps)) throw UsageError("--target-qps must be > 0 for the server scenario");
  std::mt19937_64 rng(seed);
  std::vector<double> t;
  double now = 0;
  while (t.size() < std::max<std::size_t>(min_count, 1) || now < min_duration_s) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1), 53 bits
    now += -std::log1p(-u) / qps;
    t.push_back(now);
  }
  return t;
}

ScenarioRun run_scenario(Backend& backend, std::span<const WorkItem> items, const ScenarioOptions& o,
                         ProfileClock& clock) {
  if (items.empty()) throw Error("profile: the selection has no samples to run");
  Driver d(backend, items, clock, o.image_reuse);
  ScenarioRun& run = d.result();
  run.scenario = o.scenario;
  run.closed_loop = o.scenario != Scenario::kServer;
  if (run.closed_loop) {
    run_closed_loop(d, o);
  } else {
    run.workers = backend.concurrent_infer() ? std::max<std::size_t>(1, o.concurrency) : 1;
    run_server(d, o, clock, run.workers);
  }
  run.images_prepared = d.images().preparations();
  run.image_reuses = d.images().reuses();
  run.image_prepared_s = d.images().prepared_ms() / 1e3;
  run.backend_reuse = backend.reuse();
  return std::move(run);
}

}  // namespace imaxbench
