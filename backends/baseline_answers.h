// How the nearest-neighbour baseline turns a neighbour's annotations into an answer, formatted as a
// model would write it (docs/baseline.md). Pure code: no I/O, no torch, tested on its own.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "tasks/sample.h"

namespace imaxbench {

// One gallery image and every record the gallery has on it, across tasks.
struct GalleryImage {
  std::string image_path;
  std::array<double, 2> size{0, 0};  // width, height in pixels
  std::vector<const Sample*> records;
};

// Gallery-wide fallbacks.
struct GalleryStats {
  std::string closed_majority = "no";  // the more frequent of yes/no among closed vqa references
};

GalleryStats gallery_stats(std::span<const GalleryImage> images);

struct BaselineAnswer {
  std::string text;
  std::string error;         // non-empty: no gallery record can answer this sample
  std::size_t neighbour = 0; // index of the gallery image used (into `images`)
};

// Answers `query` from the gallery images in `ranked` order (nearest first): the nearest image
// annotated for the same task (and the same quantity, phrase or question when one has it), else
// the nearest image of the task with the most similar phrase or question. `query_size` is the
// query image's width and height; `box_format` the suite's (grid100, grid1000, fraction, pixel, auto).
BaselineAnswer baseline_answer(const Sample& query, const std::array<double, 2>& query_size,
                               const std::string& box_format, std::span<const GalleryImage> images,
                               std::span<const std::size_t> ranked, const GalleryStats& stats);

// Scales a pixel box from an image of size `from` to one of size `to`.
Box scale_box(const Box& box, const std::array<double, 2>& from, const std::array<double, 2>& to);

}  // namespace imaxbench
