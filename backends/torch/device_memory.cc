// LibTorch's CUDA caching allocator as the source of `imaxbench profile`'s peak device memory.
// IMAXBENCH_TORCH_CUDA is set by backends/CMakeLists.txt only when the LibTorch found has the
// c10_cuda library (a CUDA build); the CPU-only build (Debian's libtorch-dev) never sees a CUDA
// header and answers nullopt, which is also right there since no GPU device can be opened.
#include "backends/torch/libtorch_functions.h"

#if defined(IMAXBENCH_TORCH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>

#include <exception>
#endif

namespace imaxbench {

#if defined(IMAXBENCH_TORCH_CUDA)

namespace {

namespace allocator = c10::cuda::CUDACachingAllocator;

// Index 0 of a StatArray is StatType::AGGREGATE (both pools together). The enum moved from
// c10::cuda::CUDACachingAllocator (1.13) to c10::CachingAllocator / c10::CachingDeviceAllocator
// (2.x) while its values stayed, so the index is spelled out instead of the enum.
constexpr std::size_t kAggregate = 0;

c10::DeviceIndex index_of(const DeviceSpec& device) { return static_cast<c10::DeviceIndex>(device.index); }

}  // namespace

void libtorch::reset_peak_device_memory(const DeviceSpec& device) {
  if (!device.is_gpu()) return;
  // The backend has already put tensors on this device, so CUDA and the allocator are initialised.
  allocator::resetPeakStats(index_of(device));
}

std::optional<std::int64_t> libtorch::peak_device_memory_bytes(const DeviceSpec& device) {
  if (!device.is_gpu()) return std::nullopt;
  try {
    const auto stats = allocator::getDeviceStats(index_of(device));
    return stats.reserved_bytes[kAggregate].peak;
  } catch (const std::exception&) {
    // A figure the profile can go without: "n/a" rather than losing the run's results.
    return std::nullopt;
  }
}

#else  // LibTorch without CUDA

void libtorch::reset_peak_device_memory(const DeviceSpec&) {}

std::optional<std::int64_t> libtorch::peak_device_memory_bytes(const DeviceSpec&) { return std::nullopt; }

#endif

}  // namespace imaxbench
