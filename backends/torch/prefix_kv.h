// Prefix sharing (what vLLM calls prefix caching), for chat templates that put the image before
// the question: every question about one image starts with the same tokens (system text, the
// template's opening, the image), so their keys and values in every layer are the same too. They
// are computed once, kept here on the device, and copied into each later request's KV cache, whose
// prefill then runs only the question's tokens. Keyed by the image's key (path and exact pixels)
// and the prefix's token ids; bounded by bytes, least recently used out.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <span>

#include "backends/torch/byte_lru.h"

namespace imaxbench {

struct PrefixKv {
  at::Tensor k, v;  // [layers, kv_heads, tokens, head_dim]
  std::int64_t tokens = 0;
};

class PrefixKvCache : public ByteLru<PrefixKv> {
 public:
  // A LLaVA-1.5-7B prefix (about 600 tokens, 32 layers, float16) takes about 300 MiB.
  static constexpr std::size_t kDefaultBytes = std::size_t{1} << 30;
  using ByteLru<PrefixKv>::ByteLru;

  static std::uint64_t key(std::uint64_t image_key, std::span<const std::int64_t> prefix_ids) {
    std::uint64_t h = image_key ^ 0xcbf29ce484222325ULL;
    for (std::int64_t id : prefix_ids) h = (h ^ static_cast<std::uint64_t>(id)) * 0x100000001b3ULL;
    return h;
  }
  static std::size_t bytes(const PrefixKv& p) {
    return 2 * static_cast<std::size_t>(p.k.numel()) * p.k.element_size();
  }
};

}  // namespace imaxbench
