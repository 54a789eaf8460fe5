#include "harness/image_stats.h"

#include <algorithm>
#include <functional>

namespace imaxbench {

namespace {
constexpr std::size_t kMinTable = 64;
// A table of `size` slots holds `images` at most 5/8 full.
bool fits(std::size_t images, std::size_t size) { return images * 8 <= size * 5; }
}  // namespace

void ImageCentricCounter::reserve(std::size_t samples) {
  std::size_t size = std::max(kMinTable, table_.size());
  while (!fits(samples, size)) size *= 2;
  if (size > table_.size()) rehash(size);
}

void ImageCentricCounter::rehash(std::size_t size) {
  std::vector<Image> old(size);
  old.swap(table_);
  const std::size_t mask = table_.size() - 1;
  for (const Image& image : old) {
    if (image.first.task == kNone) continue;
    std::size_t i = image.hash & mask;
    while (table_[i].first.task != kNone) i = (i + 1) & mask;
    table_[i] = image;
  }
}

std::uint32_t ImageCentricCounter::task_index(std::string_view task) {
  for (std::uint32_t i = 0; i < task_names_.size(); ++i)
    if (task_names_[i] == task) return i;
  task_names_.emplace_back(task);
  return static_cast<std::uint32_t>(task_names_.size() - 1);
}

void ImageCentricCounter::add(const Sample& s) {
  if (!fits(images_ + 1, table_.size())) rehash(std::max(kMinTable, 2 * table_.size()));
  const std::uint32_t task = task_index(s.task);
  const std::uint64_t hash = std::hash<std::string_view>()(s.image_id);
  const std::size_t mask = table_.size() - 1;
  std::size_t i = hash & mask;
  while (table_[i].first.task != kNone && !(table_[i].hash == hash && id_of(table_[i]) == s.image_id))
    i = (i + 1) & mask;
  Image& image = table_[i];
  if (image.first.task == kNone) {  // a new image
    image.hash = hash;
    image.id_begin = ids_.size();
    image.id_size = s.image_id.size();
    ids_ += s.image_id;
    image.first = {task, kNone, 1};
    ++images_;
    return;
  }
  TaskEntries* t = &image.first;
  while (t->task != task && t->more != kNone) t = &more_[t->more];
  if (t->task == task) {
    ++t->entries;
    return;
  }
  t->more = static_cast<std::uint32_t>(more_.size());  // before the push: `t` may point into more_
  more_.push_back({task, kNone, 1});
}

ImageCentricStats ImageCentricCounter::stats(std::optional<std::string_view> task) const {
  std::optional<std::uint32_t> only;
  if (task) {
    const auto it = std::find(task_names_.begin(), task_names_.end(), *task);
    if (it == task_names_.end()) return {};
    only = static_cast<std::uint32_t>(it - task_names_.begin());
  }
  ImageCentricStats st;
  std::size_t task_sum = 0;
  for (const Image& image : table_) {
    if (image.first.task == kNone) continue;
    std::size_t entries = 0, matched = 0;
    for (const TaskEntries* t = &image.first;; t = &more_[t->more]) {
      if (!only || t->task == *only) entries += t->entries, ++matched;
      if (t->more == kNone) break;
    }
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

}  // namespace imaxbench
