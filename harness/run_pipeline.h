// The inference pipeline of `imaxbench run` (TBB parallel_pipeline, bounded tokens), on the
// driver `profile` uses too (harness/backend_driver.h):
//   batches in schedule order -> decode + preprocess images (parallel) -> Backend::infer (serial)
//   -> journal append + progress (serial, in order).
// Decoding the next batches overlaps inference of the current one, memory stays bounded by the
// batches in flight, and the journal's order never depends on the thread count. Device and
// batching stay on the backend's side; tasks and metrics never see this file.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.h"
#include "harness/journal.h"
#include "harness/progress.h"
#include "harness/score_suite.h"

namespace imaxbench {

struct WorkItem {
  const Sample* sample = nullptr;
  const SuiteTask* suite_task = nullptr;
  std::size_t index = 0;  // position in this run's selection, a shard's own (stable across --resume)
  const Task* task = nullptr;  // the sample's task, looked up once per suite task
};

// The request a backend gets for one work item: the task's prompt filled in, the resolved box
// format and the record's inputs (never its references). `run` and `profile` both build them here.
Request request_for(const WorkItem& item);

// IMAX is image-centric (several tasks per image): reorders `items` so that the samples of one
// image follow each other, images in the order they first appear, suite order within an image. An
// image is then decoded, preprocessed and (torchscript) encoded once and used while still in the
// bounded caches, whatever their size. Each item keeps its `index`; answers are keyed by id, so
// scores do not change, only the journal's line order.
void group_by_image(std::vector<WorkItem>& items);

// The selection's samples in suite order, minus those in `skip` (already journaled).
std::vector<WorkItem> make_work_items(const LoadedSuite& loaded, const std::unordered_set<std::string>& skip);

struct PipelineOptions {
  std::size_t batch_size = 1;
  // Stop once failures exceed this fraction of `total_samples` (the run can no longer end below it).
  double max_fail_rate = 1.0;
  std::size_t total_samples = 0;   // whole selection, resumed part included; 0: items.size()
  std::size_t already_failed = 0;  // failures journaled before a --resume
  std::size_t max_batches_in_flight = 0;  // 0: 2 x threads + 1
  bool image_reuse = true;  // decode each file once for all its samples (images/image_cache.h)
};

struct PipelineStats {
  std::size_t done = 0;    // samples journaled by this call
  std::size_t failed = 0;  // of which failed
  bool stopped = false;    // the failure rate passed max_fail_rate
  double wall_s = 0;       // the whole pipeline
  double infer_s = 0;      // inside Backend::infer, retries included
  double decode_s = 0;     // image decoding, summed over samples
  double preprocess_s = 0; // preprocessing, summed over samples
  double journal_s = 0;    // formatting and appending journal lines
  std::string first_error; // the first failed sample's id and error, for the message
  std::size_t images_prepared = 0;  // image files decoded (one per distinct file with reuse)
  std::size_t image_reuses = 0;     // samples that got an already decoded image
};

// Runs `items` through `backend`, appending every answer to `journal`. A batch whose infer()
// throws is retried one sample at a time; a sample that still throws, or whose image cannot be
// decoded, is journaled with its error. `progress` may be null.
PipelineStats run_pipeline(Backend& backend, std::span<const WorkItem> items, JournalWriter& journal,
                           const PipelineOptions& options, Progress* progress);

// Writes into a run's context.timing the share of the pipeline's wall time spent outside decoding,
// preprocessing and inference (harness_overhead). It is exact only when the stages run in turn (one
// thread); with more, decoding overlaps inference and the stage times add up past the wall time, so
// it is null with harness_overhead_note saying why. backend_busy_share (inference / wall) holds at
// any thread count.
void add_harness_overhead(nlohmann::json& timing, const PipelineStats& stats);

}  // namespace imaxbench
