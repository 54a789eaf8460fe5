// The `torchscript` backend's torch-free face: its factory with the settings tests need, and the
// GPU count LibTorch sees (the gpu tests skip on 0). Answered by the LibTorch module
// (backends/torch_module.h), which these calls open on first use (LibTorch builds only).
#pragma once

#include <memory>

#include "backends/backend.h"

namespace imaxbench {

#ifdef IMAXBENCH_HAVE_TORCH
struct TorchScriptSettings {
  // false: full recomputation through the package's forward() even when it has a KV cache
  // (one request at a time; the reference the cached path is tested against).
  bool use_kv_cache = true;
};

// BackendOptions: model (package folder), device, dtype ("" = the package's), max_new_tokens
// (0 = the package's). Throws Error for a package that breaks the contract, naming what.
std::unique_ptr<Backend> make_torchscript_backend(const BackendOptions& options, const TorchScriptSettings& settings);

// GPUs this LibTorch can use (CUDA, or HIP in a ROCm build); 0 when none or a CPU-only LibTorch.
int torch_gpu_count();
#endif

}  // namespace imaxbench
