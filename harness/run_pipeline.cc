#include "harness/run_pipeline.h"

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "harness/backend_driver.h"
#include "tasks/task.h"

namespace imaxbench {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

Request request_for(const WorkItem& item) {
  const Sample& s = *item.sample;
  Request r;
  r.index = item.index;
  r.id = s.id;
  r.task = s.task;
  r.image_path = s.image_path;
  r.prompt = item.task->make_prompt(s, item.suite_task->options);
  r.box_format = item.suite_task->options.box_format;
  r.inputs = static_cast<const SampleInputs&>(s);
  return r;
}

void group_by_image(std::vector<WorkItem>& items) {
  std::unordered_map<std::string_view, std::size_t> rank;  // image -> order of first appearance
  std::vector<std::size_t> group(items.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    group[i] = rank.emplace(items[i].sample->image_path, rank.size()).first->second;
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return group[a] < group[b]; });
  std::vector<WorkItem> sorted;
  sorted.reserve(items.size());
  for (std::size_t i : order) sorted.push_back(items[i]);
  items = std::move(sorted);
}

std::vector<WorkItem> make_work_items(const LoadedSuite& loaded, const std::unordered_set<std::string>& skip) {
  std::vector<WorkItem> items;
  std::size_t index = 0;
  for (std::size_t t = 0; t < loaded.suite.tasks.size(); ++t) {
    const Task* task = find_task(loaded.suite.tasks[t].task);
    for (const Sample& s : loaded.splits[t].samples) {
      if (!skip.count(s.id)) items.push_back({&s, &loaded.suite.tasks[t], index, task});
      ++index;
    }
  }
  return items;
}

PipelineStats run_pipeline(Backend& backend, std::span<const WorkItem> items, JournalWriter& journal,
                           const PipelineOptions& options, Progress* progress) {
  PipelineStats stats;
  const auto start = Clock::now();
  const std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
  const std::size_t total = options.total_samples ? options.total_samples : items.size();
  const std::size_t threads = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  const std::size_t tokens =
      options.max_batches_in_flight ? options.max_batches_in_flight : 2 * std::max<std::size_t>(1, threads) + 1;
  BackendDriver driver(backend, options.image_reuse);
  std::atomic<bool> stop{false};
  std::size_t next = 0;
  std::size_t failed_total = options.already_failed;
  std::atomic<double> decode_ms{0}, preprocess_ms{0};
  double infer_ms = 0, journal_ms = 0;

  auto source = [&](tbb::flow_control& fc) -> std::shared_ptr<Query> {
    if (next >= items.size() || stop.load()) {
      fc.stop();
      return nullptr;
    }
    std::vector<Request> requests;
    for (std::size_t end = std::min(items.size(), next + batch_size); next < end; ++next)
      requests.push_back(request_for(items[next]));
    return std::make_shared<Query>(std::move(requests));
  };
  auto decode = [&](std::shared_ptr<Query> q) {
    driver.prepare(*q);
    double d = 0, p = 0;
    for (const auto& s : q->harness) d += s.image_decode_ms, p += s.preprocess_ms;
    decode_ms.fetch_add(d);
    preprocess_ms.fetch_add(p);
    return q;
  };
  auto infer = [&](std::shared_ptr<Query> q) {
    driver.infer(*q, OnThrow::kRetryEach);
    infer_ms += 1000 * (q->infer_end_s - q->infer_start_s);
    return q;
  };
  auto write = [&](std::shared_ptr<Query> query) {
    auto t0 = Clock::now();
    std::string lines;
    std::size_t failed = 0;
    for (std::size_t i = 0; i < query->requests.size(); ++i) {
      Response& r = query->responses[i];
      // Harness stages are measured here; a backend's own numbers for them would double count.
      r.stages.image_decode_ms = query->harness[i].image_decode_ms;
      r.stages.preprocess_ms = std::max(r.stages.preprocess_ms, query->harness[i].preprocess_ms);
      const Request& q = query->requests[i];
      lines += journal_line({q.id, q.task, q.index, q.prompt, r});
      failed += !r.error.empty();
      if (!r.error.empty() && stats.first_error.empty()) stats.first_error = q.id + ": " + r.error;
    }
    journal.append(lines);
    journal_ms += ms_since(t0);
    stats.done += query->requests.size();
    stats.failed += failed;
    failed_total += failed;
    if (progress) progress->update(query->requests.size(), failed);
    if (static_cast<double>(failed_total) > options.max_fail_rate * static_cast<double>(total)) {
      stats.stopped = true;
      stop.store(true);
    }
  };

  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::shared_ptr<Query>>(tbb::filter_mode::serial_in_order, source) &
          tbb::make_filter<std::shared_ptr<Query>, std::shared_ptr<Query>>(tbb::filter_mode::parallel, decode) &
          tbb::make_filter<std::shared_ptr<Query>, std::shared_ptr<Query>>(tbb::filter_mode::serial_in_order, infer) &
          tbb::make_filter<std::shared_ptr<Query>, void>(tbb::filter_mode::serial_in_order, write));

  stats.wall_s = ms_since(start) / 1000.0;
  stats.infer_s = infer_ms / 1000.0;
  stats.decode_s = decode_ms.load() / 1000.0;
  stats.preprocess_s = preprocess_ms.load() / 1000.0;
  stats.journal_s = journal_ms / 1000.0;
  stats.images_prepared = driver.images().preparations();
  stats.image_reuses = driver.images().reuses();
  return stats;
}

}  // namespace imaxbench

namespace imaxbench {

void add_harness_overhead(nlohmann::json& timing, const PipelineStats& st) {
  timing["backend_busy_share"] = st.wall_s > 0 ? st.infer_s / st.wall_s : 0.0;
  const bool serial =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism) == 1;
  if (serial && st.wall_s > 0) {
    timing["harness_overhead"] = 1.0 - (st.infer_s + st.decode_s + st.preprocess_s) / st.wall_s;
    return;
  }
  timing["harness_overhead"] = nullptr;
  timing["harness_overhead_note"] =
      st.wall_s > 0 ? "measured only at --threads 1: with more threads image decoding overlaps "
                      "inference, so the stage times add up past the wall time"
                    : "nothing ran";
}

}  // namespace imaxbench
