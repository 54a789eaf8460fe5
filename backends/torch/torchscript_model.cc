#include "backends/torch/torchscript_model.h"

#include <torch/csrc/api/include/torch/version.h>

#include <cstring>
#include <sstream>

#include "core/error.h"

namespace imaxbench {

namespace {

std::string shape_of(const at::Tensor& t) {
  std::ostringstream s;
  s << "[";
  for (std::int64_t i = 0; i < t.dim(); ++i) s << (i ? ", " : "") << t.size(i);
  s << "] " << c10::toString(t.scalar_type());
  return s.str();
}

std::string shape_of(const std::vector<std::int64_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// The first line of a TorchScript error: the rest is an interpreter traceback.
std::string first_line(const std::string& what) {
  const auto nl = what.find('\n');
  return nl == std::string::npos ? what : what.substr(0, nl);
}

}  // namespace

at::ScalarType parse_dtype(const std::string& name) {
  if (name == "float32") return at::kFloat;
  if (name == "float16") return at::kHalf;
  if (name == "bfloat16") return at::kBFloat16;
  throw UsageError("--dtype '" + name + "': write float32, float16 or bfloat16");
}

TorchScriptModel::TorchScriptModel(const ModelPackage& package, at::Device device, at::ScalarType dtype,
                                   bool use_kv_cache, std::int32_t image_token_id)
    : pkg_(package), where_(package.module_path), device_(device), dtype_(dtype), image_token_id_(image_token_id),
      kv_cache_(use_kv_cache && package.decoding == "kv_cache") {
  if (device.is_cpu() && dtype == at::kHalf)
    throw Error("--dtype float16 on cpu: LibTorch's CPU kernels lack half-precision convolution and matmul; "
                "use --dtype bfloat16 or float32 on cpu, float16 on a GPU");
  try {
    module_ = torch::jit::load(pkg_.module_path, device);
  } catch (const std::exception& e) {
    throw Error(where_ + ": not a TorchScript file this LibTorch (" TORCH_VERSION ") can load: " +
                first_line(e.what()) + " (write it with torch.jit.script(...).save(); a newer PyTorch's file "
                "needs a LibTorch at least as new)");
  }
  module_.eval();
  {
    at::NoGradGuard no_grad;  // set_data on parameters: outside inference mode, without autograd
    for (const auto& p : module_.named_parameters(true))
      if (p.value.is_floating_point() && p.value.scalar_type() != dtype) p.value.set_data(p.value.to(dtype));
    for (const auto& b : module_.named_buffers(true))  // integer buffers (position ids) keep their type
      if (b.value.is_floating_point() && b.value.scalar_type() != dtype) b.value.set_data(b.value.to(dtype));
  }
  require_method("encode_images", 1, "encode_images(pixels)");
  if (kv_cache_) {
    require_method("embed", 1, "embed(ids)");
    require_method("decode", 6, "decode(embeds, position_ids, cache_position, key_mask, k_cache, v_cache)");
  } else {
    require_method("forward", 2, "forward(input_ids, image_embeds)");
  }
  self_check();
}

void TorchScriptModel::require_method(const char* method, std::size_t inputs, const char* signature) const {
  const std::string need = kv_cache_ ? "a package with \"decoding\": \"kv_cache\" needs encode_images, embed and decode"
                                     : "full-recomputation decoding needs encode_images and forward";
  auto m = module_.find_method(method);
  if (!m) throw Error(where_ + ": the module has no method '" + method + "'; " + need + " (docs/model-package.md)");
  const std::size_t got = m->function().getSchema().arguments().size() - 1;  // minus self
  if (got != inputs)
    throw Error(where_ + ": method '" + method + "' takes " + std::to_string(got) + " inputs; the contract is " +
                signature + " (docs/model-package.md)");
}

at::Tensor TorchScriptModel::call(const char* method, std::vector<c10::IValue> inputs,
                                  const std::vector<std::int64_t>& expect, const char* expect_meaning) {
  std::string args;
  for (const auto& v : inputs) args += (args.empty() ? "" : ", ") + (v.isTensor() ? shape_of(v.toTensor()) : "?");
  c10::IValue out;
  try {
    out = module_.get_method(method)(std::move(inputs));
  } catch (const std::exception& e) {
    throw Error(where_ + ": method '" + method + "' failed on inputs (" + args + "): " + first_line(e.what()));
  }
  if (!out.isTensor())
    throw Error(where_ + ": method '" + method + "' returned a " + out.tagKind() + ", not a tensor");
  at::Tensor t = out.toTensor();
  if (std::strcmp(method, "forward") == 0 && t.dim() == 3) t = t.select(1, t.size(1) - 1);  // [B,T,V] allowed
  if (t.sizes().vec() != expect)
    throw Error(where_ + ": method '" + method + "' returned " + shape_of(t) + " for inputs (" + args +
                "); expected " + shape_of(expect) + " = " + expect_meaning + " from " + pkg_.manifest_path);
  return t;
}

at::Tensor TorchScriptModel::encode_images(const at::Tensor& pixels) {
  return call("encode_images", {pixels}, {pixels.size(0), pkg_.image.tokens, pkg_.text.hidden_size},
              "[batch, image.tokens, text.hidden_size]");
}

at::Tensor TorchScriptModel::embed(const at::Tensor& ids) {
  return call("embed", {ids}, {ids.size(0), ids.size(1), pkg_.text.hidden_size}, "[batch, tokens, text.hidden_size]");
}

at::Tensor TorchScriptModel::decode(const at::Tensor& embeds, const at::Tensor& position_ids,
                                    const at::Tensor& cache_position, const at::Tensor& key_mask, at::Tensor& k_cache,
                                    at::Tensor& v_cache) {
  return call("decode", {embeds, position_ids, cache_position, key_mask, k_cache, v_cache},
              {embeds.size(0), pkg_.text.vocab_size}, "[batch, text.vocab_size]");
}

at::Tensor TorchScriptModel::forward(const at::Tensor& input_ids, const at::Tensor& image_embeds) {
  return call("forward", {input_ids, image_embeds}, {input_ids.size(0), pkg_.text.vocab_size},
              "[batch, text.vocab_size]");
}

at::Tensor TorchScriptModel::text_positions(const at::Tensor& positions) const {
  if (pkg_.position_ids != "mrope") return positions;
  return positions.unsqueeze(0).expand({3, positions.size(0), positions.size(1)});  // text: all planes equal
}

std::pair<at::Tensor, at::Tensor> TorchScriptModel::make_caches(std::int64_t batch, std::int64_t slots) const {
  auto opts = at::TensorOptions().dtype(dtype_).device(device_);
  std::vector<std::int64_t> shape{pkg_.text.layers, batch, pkg_.text.kv_heads, slots, pkg_.text.head_dim};
  return {at::zeros(shape, opts), at::zeros(shape, opts)};
}

// One tiny prefill and one step (or one forward) so a package with the wrong shapes is refused at
// load, not on the first sample.
void TorchScriptModel::self_check() {
  c10::InferenceMode guard;
  const auto ids_opts = at::TensorOptions().dtype(at::kLong).device(device_);
  at::Tensor pixels = at::zeros({1, pkg_.image.channels, pkg_.image.height, pkg_.image.width},
                                at::TensorOptions().dtype(dtype_).device(device_));
  at::Tensor image = encode_images(pixels);
  if (kv_cache_) {
    at::Tensor ids = at::full({1, 2}, pkg_.pad_token_id, ids_opts);
    auto [k, v] = make_caches(1, 3);
    at::Tensor mask = at::ones({1, 3}, at::TensorOptions().dtype(at::kBool).device(device_));
    decode(embed(ids), text_positions(at::arange(2, ids_opts).view({1, 2})), at::arange(2, ids_opts), mask, k, v);
    decode(embed(ids.narrow(1, 0, 1)), text_positions(at::full({1, 1}, 2, ids_opts)), at::full({1}, 2, ids_opts), mask,
           k, v);
  } else {
    at::Tensor ids = at::full({1, pkg_.image.tokens + 2}, image_token_id_, ids_opts);
    ids.select(1, 0).fill_(pkg_.pad_token_id);
    ids.select(1, pkg_.image.tokens + 1).fill_(pkg_.pad_token_id);
    forward(ids, image);
  }
}

}  // namespace imaxbench
