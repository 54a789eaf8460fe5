// The LibTorch module, libimaxbench_torch.so: everything that needs LibTorch (the baseline's image
// index, the torchscript backend and its calls into the CUDA/HIP kernels, the device-memory probe,
// the GPU count) is a shared object that imaxbench opens on the first call that needs it. Linking
// LibTorch into imaxbench itself brought ~300 shared libraries (OpenCV, Qt, ...) and 0.7 s of
// start-up to every process, `--version`, `score` and each test included.
//
// The module has no copy of the harness: its calls into it (images, tokenizers, model packages)
// resolve against the imaxbench:: symbols the host program exports (cmake/torch_module.cmake).
// Torch-free on purpose: the host includes it. Built only with LibTorch (IMAXBENCH_HAVE_TORCH).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "backends/backend.h"
#include "backends/device.h"
#include "backends/image_index.h"
#include "backends/torchscript.h"

namespace imaxbench {

// Raised whenever this table, or a type it passes, changes: a module from an older build is then
// refused by name instead of crashing.
inline constexpr int kTorchModuleAbiVersion = 1;

// What the module hands the host: one entry per LibTorch function the torch-free side calls.
struct TorchModuleApi {
  int abi_version;
  std::size_t table_size;  // sizeof(TorchModuleApi) as the module saw it
  std::unique_ptr<Backend> (*make_torchscript_backend)(const BackendOptions&, const TorchScriptSettings&);
  std::unique_ptr<ImageIndex> (*make_image_index)(const DeviceSpec&, const TinyImageEmbedding&,
                                                  std::span<const float> gallery, std::size_t n);
  int (*gpu_count)();
  void (*reset_peak_device_memory)(const DeviceSpec&);
  std::optional<std::int64_t> (*peak_device_memory_bytes)(const DeviceSpec&);
};

// The module's entry point, looked up by name after dlopen.
inline constexpr const char* kTorchModuleEntry = "imaxbench_torch_module_api";

// Opens the module on the first call (later calls return the same table). Throws Error naming
// every path tried and how to build the module when it is missing or cannot be opened.
const TorchModuleApi& torch_module();

// For `imaxbench list backends`, without opening anything: where the module is and whether it is
// there, e.g. "in the LibTorch module /b/libimaxbench_torch.so (present)".
std::string torch_module_status();

}  // namespace imaxbench
