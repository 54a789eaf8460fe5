// Batched image preprocessing on a GPU (CUDA or HIP): uint16 grayscale images in host memory
// -> resized, normalised, channel-replicated float32 NCHW batch in device memory. The per-pixel
// math is images/preprocess_math.h, shared with the CPU reference the tests compare against.
// No LibTorch here: backends hand in a device pointer (e.g. a tensor's data_ptr()).
#pragma once

#include <string>
#include <vector>

#include "images/image_decode.h"

namespace imaxbench {

struct GpuPreprocessSpec {
  int out_width = 0;
  int out_height = 0;
  int channels = 3;
  std::vector<float> mean;  // one per channel
  std::vector<float> std;   // one per channel
  int device = 0;
};

// Which GPU kernels this build has: "cuda", "hip" or "" (none).
std::string gpu_preprocess_platform();

// Number of devices the GPU runtime sees (0 when none or no runtime).
int gpu_device_count();

// Preprocesses `images` into `out_device` (images.size() x channels x out_height x out_width
// floats, already allocated on spec.device). Throws Error with the runtime's message on failure.
void gpu_preprocess_batch(const std::vector<const GrayImage*>& images, const GpuPreprocessSpec& spec,
                          float* out_device);

// Convenience for tests and benchmarks: runs gpu_preprocess_batch into a temporary device
// buffer and copies the result back to the host.
std::vector<float> gpu_preprocess_to_host(const std::vector<const GrayImage*>& images,
                                          const GpuPreprocessSpec& spec);

}  // namespace imaxbench
