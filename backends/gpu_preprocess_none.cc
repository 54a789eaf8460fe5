// Builds without CUDA or HIP kernels: the GPU preprocessing entry points say so clearly.
#if !defined(IMAXBENCH_HAVE_CUDA_KERNELS) && !defined(IMAXBENCH_HAVE_HIP_KERNELS)

#include "backends/gpu_preprocess.h"
#include "core/error.h"

namespace imaxbench {

std::string gpu_preprocess_platform() { return ""; }
int gpu_device_count() { return 0; }

void gpu_preprocess_batch(const std::vector<const GrayImage*>&, const GpuPreprocessSpec&, float*) {
  throw Error("GPU preprocessing: this build has no CUDA or HIP kernels (configure with "
              "-DIMAXBENCH_WITH_CUDA=ON or -DIMAXBENCH_WITH_HIP=ON)");
}

std::vector<float> gpu_preprocess_to_host(const std::vector<const GrayImage*>& images,
                                          const GpuPreprocessSpec& spec) {
  gpu_preprocess_batch(images, spec, nullptr);
  return {};
}

}  // namespace imaxbench

#endif
