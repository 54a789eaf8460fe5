// Per-pixel preprocessing math shared by the CPU reference (images/preprocess.cc) and the CUDA/HIP
// kernels, so the device paths are tested against the same code. Header-only, no std library
// beyond <cstdint>, nothing that nvcc or hipcc cannot compile for the device.
//
// Resize semantics are torch.nn.functional.interpolate(mode="bilinear", align_corners=False,
// antialias=False) as in PyTorch's CPU kernel (aten/src/ATen/native/UpSample.h):
//   scale = in / out (float);  src = scale * (dst + 0.5) - 0.5 in double, clamped at 0;
//   i0 = min(floor(src), in - 1);  i1 = i0 + (i0 < in - 1);  w1 = float(clamp(src - i0, 0, 1));
//   w0 = 1 - w1 (float);  and when in == out the axis is copied unchanged. These weights equal
//   torch 1.13's bit for bit (checked with one-hot inputs); rounding src to float first would not.
// The value is interpolated along x in each of the two rows, then along y, as torch does.
#pragma once

#include <cstdint>

#if defined(__CUDACC__) || defined(__HIPCC__)
#define IMAXBENCH_HD __host__ __device__
#else
#define IMAXBENCH_HD
#endif

namespace imaxbench {

// The two source samples and their weights for one output coordinate along one axis.
struct LinearTap {
  int i0;
  int i1;
  float w0;
  float w1;
};

IMAXBENCH_HD inline LinearTap bilinear_tap(int dst, int in_size, int out_size) {
  if (in_size == out_size) return {dst, dst, 1.0f, 0.0f};
  const float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
  double src = static_cast<double>(scale) * (dst + 0.5) - 0.5;
  if (src < 0.0) src = 0.0;
  int i0 = static_cast<int>(src);  // floor: src >= 0
  if (i0 > in_size - 1) i0 = in_size - 1;
  double frac = src - i0;
  const float w1 = static_cast<float>(frac < 0.0 ? 0.0 : (frac > 1.0 ? 1.0 : frac));
  return {i0, i0 < in_size - 1 ? i0 + 1 : i0, 1.0f - w1, w1};
}

// Bilinear sample of a row-major uint16 image at (tx, ty), scaled to [0, 1] by max_value. Each
// tap is divided first, as torch sees the image already converted (x.float() / max_value).
IMAXBENCH_HD inline float bilinear_sample(const std::uint16_t* src, int in_width, LinearTap tx, LinearTap ty,
                                          float max_value) {
  const std::uint16_t* row0 = src + static_cast<long long>(ty.i0) * in_width;
  const std::uint16_t* row1 = src + static_cast<long long>(ty.i1) * in_width;
  const float top = static_cast<float>(row0[tx.i0]) / max_value * tx.w0 +
                    static_cast<float>(row0[tx.i1]) / max_value * tx.w1;
  const float bottom = static_cast<float>(row1[tx.i0]) / max_value * tx.w0 +
                       static_cast<float>(row1[tx.i1]) / max_value * tx.w1;
  return top * ty.w0 + bottom * ty.w1;
}

// torchvision's Normalize: (x - mean) / std.
IMAXBENCH_HD inline float normalize_value(float value, float mean, float std) { return (value - mean) / std; }

// Output pixel (ox, oy) of an out_w x out_h resize, normalised.
IMAXBENCH_HD inline float preprocess_pixel(const std::uint16_t* src, int in_width, int in_height, float max_value,
                                           int ox, int oy, int out_width, int out_height, float mean, float std) {
  const LinearTap tx = bilinear_tap(ox, in_width, out_width);
  const LinearTap ty = bilinear_tap(oy, in_height, out_height);
  return normalize_value(bilinear_sample(src, in_width, tx, ty, max_value), mean, std);
}

}  // namespace imaxbench
