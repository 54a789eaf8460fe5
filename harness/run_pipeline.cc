#include "harness/run_pipeline.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "images/image_cache.h"
#include "core/error.h"
#include "tasks/task.h"

namespace imaxbench {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Batch {
  std::vector<Request> requests;
  std::vector<std::string> errors;  // per request: image decode/preprocess failure
  std::vector<StageTimes> stages;   // per request: harness-side stages
  std::vector<Response> responses;
};

// infer() with the contract checked: an exception or a wrong response count is thrown.
std::vector<Response> checked_infer(Backend& backend, std::span<const Request> requests) {
  std::vector<Response> out = backend.infer(requests);
  if (out.size() != requests.size())
    throw Error("backend '" + backend.name() + "' returned " + std::to_string(out.size()) +
                " responses for " + std::to_string(requests.size()) + " requests");
  return out;
}

// Infers the batch's decodable requests; a throwing batch is retried one request at a time.
void infer_batch(Backend& backend, Batch& b) {
  const std::size_t n = b.requests.size();
  b.responses.assign(n, Response{});
  std::vector<std::size_t> live;
  std::vector<Request> reqs;
  for (std::size_t i = 0; i < n; ++i) {
    if (!b.errors[i].empty()) {
      b.responses[i].error = b.errors[i];
      continue;
    }
    live.push_back(i);
    reqs.push_back(std::move(b.requests[i]));
  }
  if (live.empty()) return;
  auto place = [&](std::size_t slot, Response r, double batch_ms) {
    if (r.latency_ms <= 0) r.latency_ms = batch_ms;  // every request waited for the whole call
    b.responses[live[slot]] = std::move(r);
  };
  auto t0 = Clock::now();
  try {
    auto out = checked_infer(backend, reqs);
    double ms = ms_since(t0);
    for (std::size_t k = 0; k < live.size(); ++k) place(k, std::move(out[k]), ms);
  } catch (...) {
    for (std::size_t k = 0; k < live.size(); ++k) {
      auto t1 = Clock::now();
      try {
        auto one = checked_infer(backend, std::span<const Request>(&reqs[k], 1));
        place(k, std::move(one[0]), ms_since(t1));
      } catch (const std::exception& e) {
        Response r;
        r.error = std::string("backend: ") + e.what();
        place(k, std::move(r), ms_since(t1));
      } catch (...) {
        Response r;
        r.error = "backend: unknown exception";
        place(k, std::move(r), ms_since(t1));
      }
    }
  }
  for (std::size_t k = 0; k < live.size(); ++k) b.requests[live[k]] = std::move(reqs[k]);
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

std::string attach_image(Request& r, ImageCache& images, StageTimes& t) {
  bool prepared_here = false;
  const auto p = images.get(r.image_path, prepared_here);
  if (prepared_here) t.image_decode_ms = p->decode_ms, t.preprocess_ms = p->preprocess_ms;
  if (!p->error.empty()) return p->error;
  r.image = p->image;
  r.pixels = p->pixels;
  return "";
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
  const bool wants_images = backend.wants_images();
  ImageCache images(backend.image_spec(), options.image_reuse ? ImageCache::kDefaultBytes : 0);
  std::atomic<bool> stop{false};
  std::size_t next = 0;
  std::size_t failed_total = options.already_failed;
  std::atomic<double> decode_ms{0}, preprocess_ms{0};
  double infer_ms = 0, journal_ms = 0;

  auto source = [&](tbb::flow_control& fc) -> std::shared_ptr<Batch> {
    if (next >= items.size() || stop.load()) {
      fc.stop();
      return nullptr;
    }
    auto b = std::make_shared<Batch>();
    for (std::size_t end = std::min(items.size(), next + batch_size); next < end; ++next) {
      b->requests.push_back(request_for(items[next]));
    }
    b->errors.assign(b->requests.size(), "");
    b->stages.assign(b->requests.size(), StageTimes{});
    return b;
  };
  auto decode = [&](std::shared_ptr<Batch> b) {
    if (!wants_images) return b;
    tbb::parallel_for(std::size_t(0), b->requests.size(), [&](std::size_t i) {
      b->errors[i] = attach_image(b->requests[i], images, b->stages[i]);
    });
    double d = 0, p = 0;
    for (const auto& s : b->stages) d += s.image_decode_ms, p += s.preprocess_ms;
    decode_ms.fetch_add(d);
    preprocess_ms.fetch_add(p);
    return b;
  };
  auto infer = [&](std::shared_ptr<Batch> b) {
    auto t0 = Clock::now();
    infer_batch(backend, *b);
    infer_ms += ms_since(t0);
    for (auto& r : b->requests) r.image.reset(), r.pixels = {};  // free memory before the journal
    return b;
  };
  auto write = [&](std::shared_ptr<Batch> b) {
    auto t0 = Clock::now();
    std::string lines;
    std::size_t failed = 0;
    for (std::size_t i = 0; i < b->requests.size(); ++i) {
      Response& r = b->responses[i];
      // Harness stages are measured here; a backend's own numbers for them would double count.
      r.stages.image_decode_ms = b->stages[i].image_decode_ms;
      r.stages.preprocess_ms = std::max(r.stages.preprocess_ms, b->stages[i].preprocess_ms);
      const Request& q = b->requests[i];
      lines += journal_line({q.id, q.task, q.index, q.prompt, r});
      failed += !r.error.empty();
      if (!r.error.empty() && stats.first_error.empty()) stats.first_error = q.id + ": " + r.error;
    }
    journal.append(lines);
    journal_ms += ms_since(t0);
    stats.done += b->requests.size();
    stats.failed += failed;
    failed_total += failed;
    if (progress) progress->update(b->requests.size(), failed);
    if (static_cast<double>(failed_total) > options.max_fail_rate * static_cast<double>(total)) {
      stats.stopped = true;
      stop.store(true);
    }
  };

  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::shared_ptr<Batch>>(tbb::filter_mode::serial_in_order, source) &
          tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(tbb::filter_mode::parallel, decode) &
          tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(tbb::filter_mode::serial_in_order, infer) &
          tbb::make_filter<std::shared_ptr<Batch>, void>(tbb::filter_mode::serial_in_order, write));

  stats.wall_s = ms_since(start) / 1000.0;
  stats.infer_s = infer_ms / 1000.0;
  stats.decode_s = decode_ms.load() / 1000.0;
  stats.preprocess_s = preprocess_ms.load() / 1000.0;
  stats.journal_s = journal_ms / 1000.0;
  stats.images_prepared = images.preparations();
  stats.image_reuses = images.reuses();
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
