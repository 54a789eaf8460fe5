// CPU reference for the image preprocessing that backends run on their device: bilinear resize
// to the model's input size (torch interpolate, align_corners=False, antialias=False), value /
// max_value, (x - mean) / std, replicated into `channels` planes (CHW, float32). Device kernels
// share the per-pixel math in images/preprocess_math.h and are checked against this.
// preprocess_for_spec adds the PIL-based resizes of Hugging Face processors (images/pil_resize.h).
#pragma once

#include <span>

#include "images/image_spec.h"
#include "images/image_decode.h"

namespace imaxbench {

// `out` holds channels * out_h * out_w floats; every channel gets the same values.
// Throws Error for an empty image, a non-positive size or channel count, or std == 0.
void preprocess_gray_to_chw(const GrayImage& image, int out_w, int out_h, float mean, float std, int channels,
                            float* out);

// Per-channel normalisation (e.g. CLIP's RGB mean/std applied to a gray image replicated into
// three planes): channel c is (x - mean[c]) / std[c]; mean.size() == std.size() channels.
void preprocess_gray_to_chw(const GrayImage& image, int out_w, int out_h, std::span<const float> mean,
                            std::span<const float> std, float* out);

// The image as `spec` asks, into spec.channels * spec.width * spec.height floats (CHW):
// kBilinear is preprocess_gray_to_chw above, unchanged; kPilBicubic and kPilShortestEdgeCrop make
// one plane in [0, 1] as Hugging Face's PIL path does, then (x - mean) / std per channel;
// kPilPadSquareShortestEdgeCrop makes each channel's plane with its own pad value (LLaVA's
// expand2square). Throws Error as preprocess_gray_to_chw does, and for a PIL resize without a
// shortest_edge or (padded) without one pad value per channel.
void preprocess_for_spec(const GrayImage& image, const ImageSpec& spec, float* out);

}  // namespace imaxbench
