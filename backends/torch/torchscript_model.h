// A model package's TorchScript module, checked against the contract (docs/model-package.md) on
// load and on every call: the entry points exist with the right number of inputs, and each returns
// the shape imaxbench-model.json promises. A broken package is refused with a message naming the
// method, the inputs' shapes and what came back.
#pragma once

#include <torch/script.h>

#include <string>
#include <vector>

#include "backends/model_package.h"

namespace imaxbench {

class TorchScriptModel {
 public:
  // Loads the module onto `device`, casts its floating parameters and buffers to `dtype`, finds the
  // entry points (kv_cache: encode_images, embed, decode; full: encode_images, forward) and runs
  // each once on tiny inputs to check the shapes. `image_token_id` is the tokenizer's id of image_token.
  TorchScriptModel(const ModelPackage& package, at::Device device, at::ScalarType dtype, bool use_kv_cache,
                   std::int32_t image_token_id);

  bool uses_kv_cache() const { return kv_cache_; }
  at::Device device() const { return device_; }
  at::ScalarType dtype() const { return dtype_; }

  at::Tensor encode_images(const at::Tensor& pixels);  // [B,C,H,W] -> [B, image.tokens, hidden]
  at::Tensor embed(const at::Tensor& ids);             // [B,T] int64 -> [B,T,hidden]
  // Writes k_cache/v_cache [layers,B,kv_heads,S,head_dim] in place -> last-position logits [B,V].
  at::Tensor decode(const at::Tensor& embeds, const at::Tensor& position_ids, const at::Tensor& cache_position,
                    const at::Tensor& key_mask, at::Tensor& k_cache, at::Tensor& v_cache);
  // input_ids [B,T] holding image.tokens image-token ids per row -> last-position logits [B,V].
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& image_embeds);

  // Positions [B,T] of text-only tokens in the package's layout: as they are, or [3,B,T] with the
  // three planes equal for position_ids "mrope".
  at::Tensor text_positions(const at::Tensor& positions) const;

  // Empty caches for a batch of `batch` rows and `slots` positions, on the device, in the dtype.
  std::pair<at::Tensor, at::Tensor> make_caches(std::int64_t batch, std::int64_t slots) const;

 private:
  at::Tensor call(const char* method, std::vector<c10::IValue> inputs, const std::vector<std::int64_t>& expect,
                  const char* expect_meaning);
  void require_method(const char* method, std::size_t inputs, const char* signature) const;
  void self_check();

  ModelPackage pkg_;
  std::string where_;  // the module file, for messages
  torch::jit::Module module_;
  at::Device device_;
  at::ScalarType dtype_;
  std::int32_t image_token_id_;
  bool kv_cache_;
};

// "float32" | "float16" | "bfloat16" -> scalar type; throws UsageError otherwise.
at::ScalarType parse_dtype(const std::string& name);

}  // namespace imaxbench
