// Peak device memory of the LibTorch backends, read from LibTorch's CUDA caching allocator for
// `imaxbench profile` (Backend::peak_device_memory_bytes). Torch-free on purpose, so backends
// outside backends/torch/ (baseline.cc) can call it without LibTorch headers; defined in
// backends/torch_module_calls.cc, which asks the LibTorch module (device_memory.cc there).
#pragma once

#include <cstdint>
#include <optional>

#include "backends/device.h"

namespace imaxbench {

// Starts a new peak on `device`: the allocator's peak becomes what it holds now (the loaded model).
// Call once the backend has loaded everything it keeps. Does nothing on cpu, or where this
// LibTorch was built without CUDA (then a GPU device cannot have been opened anyway).
void reset_peak_device_memory(const DeviceSpec& device);

// The most bytes the caching allocator has reserved from the driver on `device` since the last
// reset (free cached blocks included: roughly what nvidia-smi shows, less the CUDA context).
// nullopt on cpu, in a LibTorch without CUDA, or when the allocator cannot answer.
std::optional<std::int64_t> peak_device_memory_bytes(const DeviceSpec& device);

}  // namespace imaxbench
