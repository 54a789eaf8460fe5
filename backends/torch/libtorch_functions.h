// The LibTorch implementations behind the module's table (backends/torch/module_entry.cc). They
// sit in their own namespace because the host program exports same-named forwarders
// (backends/torch_module_calls.cc) that the module's own calls must never bind to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "backends/backend.h"
#include "backends/device.h"
#include "backends/image_index.h"
#include "backends/torchscript.h"

namespace imaxbench::libtorch {

std::unique_ptr<Backend> make_torchscript_backend(const BackendOptions& options, const TorchScriptSettings& settings);
std::unique_ptr<ImageIndex> make_image_index(const DeviceSpec& device, const TinyImageEmbedding& embedding,
                                             std::span<const float> gallery, std::size_t n);
int gpu_count();
void reset_peak_device_memory(const DeviceSpec& device);
std::optional<std::int64_t> peak_device_memory_bytes(const DeviceSpec& device);

}  // namespace imaxbench::libtorch
