// Image-centric statistics (IMAX paper): how many tasks and annotation entries each image carries.
// IMAX reports 4.10 tasks and 7.46 entries per image; decentralized data sits near 1.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/sample.h"

namespace imaxbench {

struct ImageCentricStats {
  std::size_t entries = 0;
  std::size_t images = 0;          // distinct image_id
  double tasks_per_image = 0;      // mean number of distinct tasks per image
  double entries_per_image = 0;    // mean number of records per image
};

// Counts samples by image_id. Keeps views into the samples added: they must outlive the counter.
class ImageCentricCounter {
 public:
  void reserve(std::size_t samples) { images_.reserve(samples); }
  void add(const Sample& s) {
    auto& img = images_[s.image_id];
    if (std::find(img.tasks.begin(), img.tasks.end(), s.task) == img.tasks.end()) img.tasks.push_back(s.task);
    ++img.entries;
  }
  ImageCentricStats stats() const {
    ImageCentricStats st;
    st.images = images_.size();
    std::size_t task_sum = 0;
    for (const auto& [id, img] : images_) {
      st.entries += img.entries;
      task_sum += img.tasks.size();
    }
    if (st.images > 0) {
      st.tasks_per_image = double(task_sum) / double(st.images);
      st.entries_per_image = double(st.entries) / double(st.images);
    }
    return st;
  }

 private:
  struct PerImage {
    std::vector<std::string_view> tasks;  // distinct; IMAX has seven
    std::size_t entries = 0;
  };
  std::unordered_map<std::string_view, PerImage> images_;
};

}  // namespace imaxbench
