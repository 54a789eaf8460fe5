// Image-centric statistics (IMAX paper): how many tasks and annotation entries each image carries.
// IMAX reports 4.10 tasks and 7.46 entries per image; decentralized data sits near 1.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
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

// Counts samples by image and task. Keeps views into the samples added: they must outlive the
// counter.
class ImageCentricCounter {
 public:
  void reserve(std::size_t samples) { images_.reserve(samples); }
  void add(const Sample& s) {
    auto& tasks = images_[s.image_id];
    auto it = std::find_if(tasks.begin(), tasks.end(), [&](const TaskEntries& t) { return t.task == s.task; });
    if (it == tasks.end()) tasks.push_back({s.task, 1});
    else ++it->entries;
  }
  // Over every sample added, or over one task's samples only (then each image has one task).
  ImageCentricStats stats(std::optional<std::string_view> task = std::nullopt) const {
    ImageCentricStats st;
    std::size_t task_sum = 0;
    for (const auto& [id, tasks] : images_) {
      std::size_t entries = 0, matched = 0;
      for (const TaskEntries& t : tasks)
        if (!task || t.task == *task) entries += t.entries, ++matched;
      if (matched == 0) continue;
      ++st.images;
      st.entries += entries;
      task_sum += matched;
    }
    if (st.images > 0) {
      st.tasks_per_image = double(task_sum) / double(st.images);
      st.entries_per_image = double(st.entries) / double(st.images);
    }
    return st;
  }

 private:
  struct TaskEntries {
    std::string_view task;
    std::size_t entries;
  };
  std::unordered_map<std::string_view, std::vector<TaskEntries>> images_;  // distinct tasks per image
};

}  // namespace imaxbench
