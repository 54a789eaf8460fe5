// Hugging Face's PIL-based image preprocessing, reproduced bit for bit for one gray plane:
// Pillow's bicubic Image.resize (src/libImaging/Resample.c, 8-bit path) and the geometry of
// transformers 4.45.2's CLIPImageProcessor (image_transforms.get_resize_output_image_size with
// default_to_square=False, center_crop, rescale). A gray image converted to RGB by PIL is the
// same value in three bands, and Pillow resamples each band with the same integer arithmetic, so
// one plane stands for all three. Checked against Pillow and CLIPImageProcessor themselves in
// tests/unit/pil_resize_test.cc (vectors from tests/tools/pil_resize_vectors.py).
//
// Pillow's releases differ in one thing here, the order of the two passes when both axes change
// size (each pass's arithmetic is the same in all of them); PillowRelease picks the release.
#pragma once

#include <cstdint>
#include <vector>

#include "images/image_decode.h"

namespace imaxbench {

struct PilSize {
  int width = 0;
  int height = 0;
  bool operator==(const PilSize&) const = default;
};

// The image as the 8-bit "L" image PIL would hold, row-major. max_value 255: the pixels as they
// are. Any other max_value (16-bit PNG, DICOM: 65535; 12-bit: 4095) is imaxbench's own reduction
// v8 = (v * 255 + max / 2) / max in integers (rounded, v clamped to max), because PIL has no faithful
// answer: converting a 16-bit "I;16" image to RGB clips values above 255 instead of scaling them.
std::vector<std::uint8_t> to_8bit(const GrayImage& image);

// Which Pillow's pass order to follow. A bicubic pass rounds to 8 bits, so the order changes bytes.
enum class PillowRelease {
  kUpTo12_1,    // always horizontal, then vertical (Pillow 11.0 was current with transformers 4.45.2)
  k12_2To12_3,  // vertical first for an image over 100 times taller than wide whose height shrinks
  kFrom13,      // vertical first when the height shrinks by more than twice the pixels the width does
};
// What `pip install transformers==4.45.2 pillow` gets today. Shortest-edge resizes (which keep the
// aspect ratio) come out the same under every release unless the image is over about 2:1 portrait.
constexpr PillowRelease kDefaultPillowRelease = PillowRelease::kFrom13;

// PIL Image.resize((out_w, out_h), resample=BICUBIC, reducing_gap=None) of a w x h "L" image.
// Throws Error for a non-positive size.
std::vector<std::uint8_t> pil_resize_bicubic(const std::uint8_t* src, int w, int h, int out_w, int out_h,
                                             PillowRelease release = kDefaultPillowRelease);

// The size a shortest-edge resize to `shortest_edge` gives: the short side becomes shortest_edge,
// the long side int(shortest_edge * long / short) (truncated), a square stays square.
// Throws Error unless every argument is positive.
PilSize shortest_edge_size(int w, int h, int shortest_edge);

// transformers' center_crop of a w x h plane to crop_w x crop_h: output (x, y) is input
// (x + floor((w - crop_w) / 2), y + floor((h - crop_h) / 2)), zero where that falls outside (its
// zero padding of a smaller image, offsets included). Throws Error for a non-positive size.
std::vector<std::uint8_t> center_crop(const std::uint8_t* src, int w, int h, int crop_w, int crop_h);

// rescale(): float32(double(v) * (1.0 / 255)), numpy's float64 product cast to float32.
inline float rescale_8bit(std::uint8_t v) { return static_cast<float>(static_cast<double>(v) * (1.0 / 255)); }

// CLIPImageProcessor up to (not including) normalisation: to_8bit, shortest-edge bicubic resize,
// centre crop to crop_w x crop_h, rescale. Writes crop_w * crop_h floats (one plane) to `out`.
void pil_clip_plane(const GrayImage& image, int shortest_edge, int crop_w, int crop_h, float* out,
                    PillowRelease release = kDefaultPillowRelease);

// LLaVA's expand2square (llava/mm_utils.py) of a w x h plane: a max(w, h) square filled with
// `pad_value`, the image pasted at ((side - w) / 2, 0) when portrait, (0, (side - h) / 2) when
// landscape (floor division, as PIL's paste offset); a square image is returned as it is.
std::vector<std::uint8_t> pad_to_square(const std::uint8_t* src, int w, int h, std::uint8_t pad_value);

// LLaVA's process_images with image_aspect_ratio "pad", one channel: to_8bit, pad_to_square with
// this channel's pad value, then the CLIPImageProcessor steps of pil_clip_plane. A gray image in an
// RGB pad is gray inside and coloured in the pad, so each channel needs its own call.
void pil_pad_square_clip_plane(const GrayImage& image, std::uint8_t pad_value, int shortest_edge, int crop_w,
                               int crop_h, float* out, PillowRelease release = kDefaultPillowRelease);

// Bicubic stretch straight to out_w x out_h (fixed-grid processors such as Qwen2-VL's), then the
// same rescale. Writes out_w * out_h floats (one plane) to `out`.
void pil_stretch_plane(const GrayImage& image, int out_w, int out_h, float* out,
                       PillowRelease release = kDefaultPillowRelease);

}  // namespace imaxbench
