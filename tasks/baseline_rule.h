// What the nearest-neighbour baseline (harness/baseline_backend.cc, docs/baseline.md) asks a task:
// given the gallery images ranked nearest first, which gallery record answers a query and how its
// reference is written as the answer a model would give. Each task's rule is in its own file
// (Task::baseline_answer); the search helpers they share are here. Pure code: no I/O, no torch.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/sample.h"

namespace imaxbench {

// One gallery image and every record the gallery has on it, across tasks.
struct GalleryImage {
  std::string image_path;
  std::array<double, 2> size{0, 0};  // width, height in pixels
  std::vector<const Sample*> records;
};

// Gallery-wide fallbacks.
struct GalleryStats {
  std::string closed_majority = "no";  // the more frequent of yes/no among closed references
};

GalleryStats gallery_stats(std::span<const GalleryImage> images);

struct BaselineQuery {
  std::string_view task;
  const SampleInputs& inputs;
  std::array<double, 2> size;  // the query image's width and height
  const std::string& box_format;  // the suite's (grid100, grid1000, fraction, pixel, auto, ...)
  std::span<const GalleryImage> images;
  std::span<const std::size_t> ranked;  // indices into images, nearest first
  const GalleryStats& stats;
};

struct BaselineAnswer {
  std::string text;
  std::string error;          // non-empty: no gallery record can answer this sample
  std::size_t neighbour = 0;  // index of the gallery image used (into `images`)
};

struct GalleryPick {
  std::size_t image = 0;
  const Sample* record = nullptr;
  double score = 0;
};

// The nearest image with a record of the query's task that `accept` takes (all, when empty):
// its first such record.
std::optional<GalleryPick> nearest_record(const BaselineQuery& q,
                                          const std::function<bool(const Sample&)>& accept = {});
// On the nearest image with a record of the task, its record with the highest `score` (first on
// ties).
std::optional<GalleryPick> best_on_nearest(const BaselineQuery& q, const std::function<double(const Sample&)>& score);
// A record whose `field` equals the query's (VQAv2-normalised) anywhere in rank order, else the
// most similar one (token F1) on the nearest image.
std::optional<GalleryPick> match_text(const BaselineQuery& q, std::string SampleInputs::*field);

std::string first_reference(const Sample& record);
Box scale_box(const Box& b, const std::array<double, 2>& from, const std::array<double, 2>& to);

// "baseline: the gallery has no <task> record<what> to answer from".
BaselineAnswer no_gallery_record(const BaselineQuery& q, const std::string& what = "");
BaselineAnswer answer_from(const GalleryPick& pick, std::string text);

// The task's rule (Task::baseline_answer) for `task`; an error for a task no one knows.
BaselineAnswer baseline_answer(const std::string& task, const SampleInputs& query,
                               const std::array<double, 2>& query_size, const std::string& box_format,
                               std::span<const GalleryImage> images, std::span<const std::size_t> ranked,
                               const GalleryStats& stats);

}  // namespace imaxbench
