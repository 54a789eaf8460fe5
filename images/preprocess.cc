#include "images/preprocess.h"

#include <algorithm>
#include <string>
#include <vector>

#include "images/pil_resize.h"
#include "images/preprocess_math.h"

namespace imaxbench {

namespace {

void check_arguments(const GrayImage& image, int out_w, int out_h, std::size_t channels) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != std::size_t(image.width) * std::size_t(image.height) || image.max_value == 0)
    throw Error("preprocess: the decoded image is empty or inconsistent (" + std::to_string(image.width) + "x" +
                std::to_string(image.height) + ", " + std::to_string(image.pixels.size()) + " pixels)");
  if (out_w <= 0 || out_h <= 0 || channels == 0)
    throw Error("preprocess: the model's input size " + std::to_string(out_w) + "x" + std::to_string(out_h) +
                " with " + std::to_string(channels) + " channels is not positive; fix the model's image settings");
}

// Resized values in [0, 1], one plane.
std::vector<float> resize_plane(const GrayImage& image, int out_w, int out_h) {
  std::vector<LinearTap> tx(static_cast<std::size_t>(out_w));
  std::vector<LinearTap> ty(static_cast<std::size_t>(out_h));
  for (int x = 0; x < out_w; ++x) tx[std::size_t(x)] = bilinear_tap(x, image.width, out_w);
  for (int y = 0; y < out_h; ++y) ty[std::size_t(y)] = bilinear_tap(y, image.height, out_h);
  std::vector<float> plane(std::size_t(out_w) * std::size_t(out_h));
  const float max_value = image.max_value;
  for (int y = 0; y < out_h; ++y) {
    float* row = plane.data() + std::size_t(y) * std::size_t(out_w);
    for (int x = 0; x < out_w; ++x)
      row[x] = bilinear_sample(image.pixels.data(), image.width, tx[std::size_t(x)], ty[std::size_t(y)], max_value);
  }
  return plane;
}

}  // namespace

void preprocess_gray_to_chw(const GrayImage& image, int out_w, int out_h, std::span<const float> mean,
                            std::span<const float> std, float* out) {
  if (mean.size() != std.size())
    throw Error("preprocess: " + std::to_string(mean.size()) + " means but " + std::to_string(std.size()) +
                " standard deviations; give one pair per channel");
  check_arguments(image, out_w, out_h, mean.size());
  for (float s : std)
    if (!(s != 0.0f)) throw Error("preprocess: a normalisation std is 0 or NaN; fix the model's image settings");
  const std::vector<float> plane = resize_plane(image, out_w, out_h);
  const std::size_t n = plane.size();
  for (std::size_t c = 0; c < mean.size(); ++c) {
    float* dst = out + c * n;
    for (std::size_t i = 0; i < n; ++i) dst[i] = normalize_value(plane[i], mean[c], std[c]);
  }
}

void preprocess_gray_to_chw(const GrayImage& image, int out_w, int out_h, float mean, float std, int channels,
                            float* out) {
  if (channels <= 0) check_arguments(image, out_w, out_h, 0);
  std::vector<float> means(std::size_t(channels), mean), stds(std::size_t(channels), std);
  preprocess_gray_to_chw(image, out_w, out_h, means, stds, out);
}

void preprocess_for_spec(const GrayImage& image, const ImageSpec& spec, float* out) {
  if (spec.resize == ImageSpec::Resize::kBilinear) {
    preprocess_gray_to_chw(image, spec.width, spec.height, spec.mean, spec.std, spec.channels, out);
    return;
  }
  check_arguments(image, spec.width, spec.height, spec.channels > 0 ? std::size_t(spec.channels) : 0);
  if (!(spec.std != 0.0f)) throw Error("preprocess: the normalisation std is 0 or NaN; fix the model's image settings");
  const std::size_t n = std::size_t(spec.width) * std::size_t(spec.height);
  if (spec.resize == ImageSpec::Resize::kPilPadSquareShortestEdgeCrop) {
    if (spec.shortest_edge <= 0 || spec.pad_values.size() != std::size_t(spec.channels))
      throw Error("preprocess: a padded shortest-edge resize needs a positive shortest_edge and one pad value per "
                  "channel; fix the model's image settings");
    // Channels whose pad values are equal are equal: each distinct plane is made once.
    for (int c = 0; c < spec.channels; ++c) {
      float* dst = out + std::size_t(c) * n;
      const int same = int(std::find(spec.pad_values.begin(), spec.pad_values.end(), spec.pad_values[c]) -
                           spec.pad_values.begin());
      if (same < c) {
        std::copy_n(out + std::size_t(same) * n, n, dst);
        continue;
      }
      pil_pad_square_clip_plane(image, static_cast<std::uint8_t>(spec.pad_values[c]), spec.shortest_edge,
                                spec.width, spec.height, dst);
      for (std::size_t i = 0; i < n; ++i) dst[i] = normalize_value(dst[i], spec.mean, spec.std);
    }
    return;
  }
  // The plane goes straight into channel 0, then is normalised into every channel (0 last).
  if (spec.resize == ImageSpec::Resize::kPilBicubic) {
    pil_stretch_plane(image, spec.width, spec.height, out);
  } else {
    if (spec.shortest_edge <= 0)
      throw Error("preprocess: a shortest-edge resize needs a positive shortest_edge, got " +
                  std::to_string(spec.shortest_edge) + "; fix the model's image settings");
    pil_clip_plane(image, spec.shortest_edge, spec.width, spec.height, out);
  }
  for (int c = spec.channels - 1; c >= 0; --c) {
    float* dst = out + std::size_t(c) * n;
    for (std::size_t i = 0; i < n; ++i) dst[i] = normalize_value(out[i], spec.mean, spec.std);
  }
}

}  // namespace imaxbench
