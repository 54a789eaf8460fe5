#include "backends/torch/prefix_kv.h"

#include "backends/mrope_positions.h"

namespace imaxbench {

namespace {

std::uint64_t prefix_key(std::uint64_t image_key, std::span<const std::int64_t> prefix_ids) {
  std::uint64_t h = image_key ^ 0xcbf29ce484222325ULL;  // FNV-1a over the ids, seeded by the image
  for (std::int64_t id : prefix_ids) h = (h ^ static_cast<std::uint64_t>(id)) * 0x100000001b3ULL;
  return h;
}

std::size_t bytes_of(const PrefixKv& p) { return 2 * static_cast<std::size_t>(p.k.numel()) * p.k.element_size(); }

}  // namespace

PrefixSharing::PrefixSharing(TorchScriptModel& model, const ModelPackage& package, bool enabled)
    : model_(model), pkg_(package), cache_(enabled ? kDefaultBytes : 0),
      on_(enabled && model.uses_kv_cache() &&
          package.chat_template.find(package.image_token) < package.chat_template.find("{prompt}")) {}

std::vector<PrefixKv> PrefixSharing::prefixes(std::span<const PromptLayout> prompts, const at::Tensor& images,
                                              std::span<const std::uint64_t> image_keys, BackendReuse& reuse) {
  std::vector<PrefixKv> out(prompts.size());
  if (!on_) return out;
  for (std::size_t b = 0; b < prompts.size(); ++b) {
    const PromptLayout& p = prompts[b];
    const std::size_t len = p.image_start + static_cast<std::size_t>(pkg_.image.tokens);
    if (len >= p.ids.size()) continue;
    const std::uint64_t key = prefix_key(image_keys[b], p.ids.first(len));
    if (const PrefixKv* cached = cache_.find(key)) {
      out[b] = *cached;  // tensors shared, not copied: later inserts may evict the entry
      reuse.prefix_tokens_reused += static_cast<std::int64_t>(len);
    } else {
      out[b] = compute(p, images[static_cast<std::int64_t>(b)], len);
      cache_.insert(key, out[b], bytes_of(out[b]));
      ++reuse.prefixes_computed;
    }
  }
  return out;
}

// The keys and values of the prompt's first `len` tokens (the image's embeddings spliced in), alone.
PrefixKv PrefixSharing::compute(const PromptLayout& prompt, const at::Tensor& image, std::size_t len) {
  const auto l = static_cast<std::int64_t>(len);
  const at::Device device = model_.device();
  const auto i64 = at::TensorOptions().dtype(at::kLong).device(device);
  std::vector<std::int64_t> ids(prompt.ids.begin(), prompt.ids.begin() + static_cast<std::ptrdiff_t>(len));
  at::Tensor embeds = model_.embed(at::tensor(ids, at::kLong).view({1, l}).to(device));
  embeds[0].narrow(0, static_cast<std::int64_t>(prompt.image_start), pkg_.image.tokens).copy_(image);
  at::Tensor pos = at::arange(l, i64).view({1, l});
  if (pkg_.position_ids == "mrope") {
    const MropePositions m = mrope_positions(len, prompt.image_start, pkg_.image.grid_rows, pkg_.image.grid_cols);
    std::vector<std::int64_t> planes;
    for (const auto& plane : m.planes) planes.insert(planes.end(), plane.begin(), plane.end());
    pos = at::tensor(planes, at::kLong).view({3, 1, l}).to(device);
  }
  auto [k, v] = model_.make_caches(1, l);
  model_.decode(embeds, pos, at::arange(l, i64), at::ones({1, l}, i64.dtype(at::kBool)), k, v);
  return PrefixKv{k.select(1, 0), v.select(1, 0), l};
}

}  // namespace imaxbench
