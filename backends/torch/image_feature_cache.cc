#include "backends/torch/image_feature_cache.h"

#include <unordered_map>

namespace imaxbench {

at::Tensor ImageFeatureCache::features(const at::Tensor& pixels, const std::vector<std::uint64_t>& keys,
                                       const std::function<at::Tensor(const at::Tensor&)>& encode) {
  const auto n = static_cast<std::int64_t>(keys.size());
  if (!cache_.enabled()) {
    encoded_ += keys.size();
    return encode(pixels);
  }
  std::vector<at::Tensor> rows(keys.size());
  std::vector<std::int64_t> missing;                  // rows to encode, one per new key
  std::unordered_map<std::uint64_t, std::size_t> first_row;  // key -> its row in `missing`
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint64_t key = keys[i];
    if (const at::Tensor* cached = cache_.find(key)) {
      rows[i] = *cached;
      ++reused_;
    } else if (!first_row.count(key)) {
      first_row.emplace(key, missing.size());
      missing.push_back(i);
    } else {
      ++reused_;
    }
  }
  if (!missing.empty()) {
    const at::Tensor index = at::tensor(missing, at::TensorOptions().dtype(at::kLong)).to(pixels.device());
    const at::Tensor fresh = encode(missing.size() == keys.size() ? pixels : pixels.index_select(0, index));
    encoded_ += missing.size();
    for (std::int64_t i = 0; i < n; ++i) {
      if (rows[i].defined()) continue;
      rows[i] = fresh[static_cast<std::int64_t>(first_row.at(keys[i]))];
    }
    for (const auto& [key, row] : first_row) {
      at::Tensor value = fresh[static_cast<std::int64_t>(row)].clone();
      const auto bytes = static_cast<std::size_t>(value.numel()) * value.element_size();
      cache_.insert(key, std::move(value), bytes);
    }
  }
  return at::stack(rows);
}

}  // namespace imaxbench
