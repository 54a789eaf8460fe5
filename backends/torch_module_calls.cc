// The torch-free declarations of backends/torchscript.h, image_index.h and torch/device_memory.h,
// answered by the LibTorch module (backends/torch_module.h): each call opens the module if it is
// not open yet. The module's own definitions live in namespace imaxbench::libtorch, so these names
// never collide with them.
#include "backends/backend_factories.h"
#include "backends/torch/device_memory.h"
#include "backends/torch_module.h"

namespace imaxbench {

std::unique_ptr<Backend> make_torchscript_backend(const BackendOptions& options, const TorchScriptSettings& settings) {
  return torch_module().make_torchscript_backend(options, settings);
}

std::unique_ptr<Backend> make_torchscript_backend(const BackendOptions& options) {
  return make_torchscript_backend(options, TorchScriptSettings{});
}

int torch_gpu_count() { return torch_module().gpu_count(); }

std::unique_ptr<ImageIndex> make_torch_image_index(const DeviceSpec& device, const TinyImageEmbedding& embedding,
                                                   std::span<const float> gallery, std::size_t n) {
  return torch_module().make_image_index(device, embedding, gallery, n);
}

void reset_peak_device_memory(const DeviceSpec& device) { torch_module().reset_peak_device_memory(device); }

std::optional<std::int64_t> peak_device_memory_bytes(const DeviceSpec& device) {
  return torch_module().peak_device_memory_bytes(device);
}

}  // namespace imaxbench
