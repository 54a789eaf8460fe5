// A DeviceSpec (cpu, cuda:N, hip:N) as a torch device, with the checks that turn a LibTorch/device
// mismatch into a message a person can act on. A ROCm LibTorch names its HIP devices "cuda".
#pragma once

#include <ATen/ATen.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/csrc/api/include/torch/version.h>
#include <torch/cuda.h>

#include <string>

#include "backends/device.h"
#include "core/error.h"

namespace imaxbench {

inline at::Device to_torch_device(const DeviceSpec& d) {
  if (!d.is_gpu()) return at::Device(at::kCPU);
  const auto& hooks = at::detail::getCUDAHooks();
  const bool rocm = hooks.hasROCM();
  const std::string want = d.kind == DeviceSpec::Kind::kHip ? "HIP (ROCm)" : "CUDA";
  // hasCUDA() is also false for a CUDA LibTorch on a machine without a driver or visible GPU.
  if (!at::hasCUDA())
    throw Error("--device " + d.str() + ": this LibTorch (" TORCH_VERSION ") can use no " + want +
                " device: it was built without " + want + " support, or no GPU/driver is visible; use --device "
                "cpu, a LibTorch built for " + want + ", or a machine with a GPU");
  if ((d.kind == DeviceSpec::Kind::kHip) != rocm)
    throw Error("--device " + d.str() + ": this LibTorch is a " + (rocm ? "ROCm" : "CUDA") + " build; write --device " +
                (rocm ? "hip:" : "cuda:") + std::to_string(d.index));
  const int count = static_cast<int>(torch::cuda::device_count());  // getNumGPUs() left newer LibTorch
  if (d.index >= count) throw Error("--device " + d.str() + ": only " + std::to_string(count) + " GPU(s) visible");
  return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(d.index));
}

}  // namespace imaxbench
