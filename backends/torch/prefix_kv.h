// Prefix sharing (what vLLM calls prefix caching), for chat templates that put the image before
// the question: every question about one image starts with the same tokens (system text, the
// template's opening, the image), so their keys and values in every layer are the same too. They
// are computed once, kept on the device, and copied into each later request's KV cache, whose
// prefill then runs only the question's tokens. Keyed by the image's key (path and exact pixels)
// and the prefix's token ids; bounded by bytes, least recently used out.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <span>
#include <vector>

#include "backends/backend.h"
#include "backends/model_package.h"
#include "backends/torch/byte_lru.h"
#include "backends/torch/torchscript_model.h"

namespace imaxbench {

struct PrefixKv {
  at::Tensor k, v;  // [layers, kv_heads, tokens, head_dim]
  std::int64_t tokens = 0;
};

// One request's prompt as the backend laid it out: ids with the image token repeated image.tokens
// times from image_start.
struct PromptLayout {
  std::span<const std::int64_t> ids;
  std::size_t image_start = 0;
};

class PrefixSharing {
 public:
  // A LLaVA-1.5-7B prefix (about 600 tokens, 32 layers, float16) takes about 300 MiB.
  static constexpr std::size_t kDefaultBytes = std::size_t{1} << 30;

  // On when `enabled` (no --no-image-reuse), the model decodes with its KV cache, and the chat
  // template puts the image before the question.
  PrefixSharing(TorchScriptModel& model, const ModelPackage& package, bool enabled);
  bool on() const { return on_; }

  // Each prompt's prefix (its tokens through the image), from the cache or computed now with
  // images[b] spliced in; tokens 0 where none is shared (sharing off, or nothing after the image).
  // Counts what it reused and computed in `reuse`.
  std::vector<PrefixKv> prefixes(std::span<const PromptLayout> prompts, const at::Tensor& images,
                                 std::span<const std::uint64_t> image_keys, BackendReuse& reuse);

 private:
  PrefixKv compute(const PromptLayout& prompt, const at::Tensor& image, std::size_t len);

  TorchScriptModel& model_;
  const ModelPackage& pkg_;
  ByteLru<PrefixKv> cache_;
  bool on_;
};

}  // namespace imaxbench
