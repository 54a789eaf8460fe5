// The LibTorch module's one entry point: the table the host's loader (backends/torch_module_loader.cc)
// looks up by name after dlopen.
#include "backends/torch/libtorch_functions.h"
#include "backends/torch_module.h"

extern "C" __attribute__((visibility("default"))) const imaxbench::TorchModuleApi* imaxbench_torch_module_api() {
  namespace lt = imaxbench::libtorch;
  static const imaxbench::TorchModuleApi api{
      imaxbench::kTorchModuleAbiVersion, sizeof(imaxbench::TorchModuleApi), lt::make_torchscript_backend,
      lt::make_image_index, lt::gpu_count, lt::reset_peak_device_memory, lt::peak_device_memory_bytes};
  return &api;
}
