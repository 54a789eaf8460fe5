#include "images/pil_resize.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

// Pillow's wheels compute the filter weights without fused multiply-adds (baseline x86-64); a
// compiler allowed to contract a * b + c into one FMA (-march with FMA, aarch64) would round the
// weights differently and change output bytes.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace imaxbench {

namespace {

// Resample.c: fixed-point weights with 2 spare bits, as the bicubic lobes overshoot [0, 1].
constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr double kBicubicSupport = 2.0;

// Resample.c's bicubic_filter (a = -0.5), the expressions in its order.
double bicubic_filter(double x) {
  constexpr double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

// One axis' weights: output i reads inputs first[i] .. first[i] + count[i] - 1 with the weights
// at weights[i * stride ...], already in fixed point (precompute_coeffs + normalize_coeffs_8bpc
// with box = (0, in_size)).
struct AxisWeights {
  std::vector<int> first, count;
  std::vector<std::int32_t> weights;
  int stride = 0;
};

AxisWeights precompute_weights(int in_size, int out_size) {
  const double scale = static_cast<double>(static_cast<float>(in_size)) / out_size;
  const double filterscale = scale < 1.0 ? 1.0 : scale;
  const double support = kBicubicSupport * filterscale;  // wider when shrinking: antialiasing
  AxisWeights ax;
  ax.stride = static_cast<int>(std::ceil(support)) * 2 + 1;
  ax.first.resize(std::size_t(out_size));
  ax.count.resize(std::size_t(out_size));
  ax.weights.assign(std::size_t(out_size) * std::size_t(ax.stride), 0);
  std::vector<double> k(std::size_t(ax.stride));
  const double inv_filterscale = 1.0 / filterscale;
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = 0.0 + (xx + 0.5) * scale;  // in0 + (xx + 0.5) * scale, in0 = 0
    // (int) truncates toward zero; anything negative is clamped to 0 right after anyway.
    const int xmin = std::max(0, static_cast<int>(center - support + 0.5));
    const int xmax = std::min(in_size, static_cast<int>(center + support + 0.5)) - xmin;
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      const double w = bicubic_filter((x + xmin - center + 0.5) * inv_filterscale);
      k[std::size_t(x)] = w;
      ww += w;
    }
    std::int32_t* fixed = ax.weights.data() + std::size_t(xx) * std::size_t(ax.stride);
    for (int x = 0; x < xmax; ++x) {
      double w = k[std::size_t(x)];
      if (ww != 0.0) w /= ww;
      fixed[x] = w < 0 ? static_cast<std::int32_t>(-0.5 + w * (1 << kPrecisionBits))
                       : static_cast<std::int32_t>(0.5 + w * (1 << kPrecisionBits));
    }
    ax.first[std::size_t(xx)] = xmin;
    ax.count[std::size_t(xx)] = xmax;
  }
  return ax;
}

// clip8: the sum (with its rounding half already added) shifted down and clamped to a byte.
std::uint8_t clip8(std::int32_t sum) { return static_cast<std::uint8_t>(std::clamp(sum >> kPrecisionBits, 0, 255)); }

// Resample.c's _ImagingResampleHorizontal_8bpc: `rows` rows of `in` (width in_w) from row0 on.
std::vector<std::uint8_t> horizontal_pass(const std::uint8_t* in, int in_w, int row0, int rows,
                                          const AxisWeights& ax) {
  const int out_w = static_cast<int>(ax.first.size());
  std::vector<std::uint8_t> out(std::size_t(out_w) * std::size_t(rows));
  for (int y = 0; y < rows; ++y) {
    const std::uint8_t* line_in = in + std::size_t(y + row0) * std::size_t(in_w);
    std::uint8_t* line = out.data() + std::size_t(y) * std::size_t(out_w);
    for (int xx = 0; xx < out_w; ++xx) {
      const std::int32_t* k = ax.weights.data() + std::size_t(xx) * std::size_t(ax.stride);
      const std::uint8_t* taps = line_in + ax.first[std::size_t(xx)];
      std::int32_t ss = 1 << (kPrecisionBits - 1);
      for (int x = 0; x < ax.count[std::size_t(xx)]; ++x) ss += taps[x] * k[x];
      line[xx] = clip8(ss);
    }
  }
  return out;
}

// Resample.c's _ImagingResampleVertical_8bpc: every column of `in` (width `width`). The sums run
// row by row across the line rather than down each column; integer sums come out the same.
std::vector<std::uint8_t> vertical_pass(const std::uint8_t* in, int width, const AxisWeights& ax) {
  const int out_h = static_cast<int>(ax.first.size());
  std::vector<std::uint8_t> out(std::size_t(width) * std::size_t(out_h));
  std::vector<std::int32_t> sums(static_cast<std::size_t>(width));
  for (int yy = 0; yy < out_h; ++yy) {
    const std::int32_t* k = ax.weights.data() + std::size_t(yy) * std::size_t(ax.stride);
    const std::uint8_t* row0 = in + std::size_t(ax.first[std::size_t(yy)]) * std::size_t(width);
    std::fill(sums.begin(), sums.end(), 1 << (kPrecisionBits - 1));
    for (int y = 0; y < ax.count[std::size_t(yy)]; ++y) {
      const std::uint8_t* row = row0 + std::size_t(y) * std::size_t(width);
      for (int xx = 0; xx < width; ++xx) sums[std::size_t(xx)] += row[xx] * k[y];
    }
    std::uint8_t* line = out.data() + std::size_t(yy) * std::size_t(width);
    for (int xx = 0; xx < width; ++xx) line[xx] = clip8(sums[std::size_t(xx)]);
  }
  return out;
}

// Whether `release` runs the horizontal pass first when both axes change size.
bool horizontal_first(int w, int h, int out_w, int out_h, PillowRelease release) {
  switch (release) {
    case PillowRelease::kUpTo12_1:
      return true;
    case PillowRelease::k12_2To12_3:  // Image.resize: a vertical-only call, then a horizontal-only one
      return !(std::int64_t(h) > std::int64_t(w) * 100 && out_h < h);
    case PillowRelease::kFrom13:  // ImagingResampleInner: rows shrink by more than twice the columns
      return !(h - out_h > 0 && std::int64_t(h - out_h) > std::int64_t(w - out_w) * 2);
  }
  return true;
}

void check_size(const char* what, int w, int h) {
  if (w <= 0 || h <= 0)
    throw Error(std::string("pil_resize: ") + what + " size " + std::to_string(w) + "x" + std::to_string(h) +
                " is not positive");
}

void check_image(const GrayImage& image) {
  check_size("input", image.width, image.height);
  if (image.pixels.size() != std::size_t(image.width) * std::size_t(image.height))
    throw Error("pil_resize: the decoded image has " + std::to_string(image.pixels.size()) + " pixels, not " +
                std::to_string(image.width) + "x" + std::to_string(image.height));
}

void rescale_into(const std::vector<std::uint8_t>& bytes, float* out) {
  for (std::size_t i = 0; i < bytes.size(); ++i) out[i] = rescale_8bit(bytes[i]);
}

}  // namespace

std::vector<std::uint8_t> to_8bit(const GrayImage& image) {
  std::vector<std::uint8_t> out(image.pixels.size());
  const std::uint32_t max = image.max_value;
  if (max == 0) throw Error("pil_resize: the image's max_value is 0");
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::uint32_t v = std::min<std::uint32_t>(image.pixels[i], max);
    out[i] = static_cast<std::uint8_t>(max == 255 ? v : (v * 255 + max / 2) / max);
  }
  return out;
}

std::vector<std::uint8_t> pil_resize_bicubic(const std::uint8_t* src, int w, int h, int out_w, int out_h,
                                             PillowRelease release) {
  check_size("input", w, h);
  check_size("output", out_w, out_h);
  // ImagingResampleInner: a pass runs only where its axis changes size (same size: a copy).
  const bool need_horizontal = out_w != w, need_vertical = out_h != h;
  if (!need_horizontal && !need_vertical) return {src, src + std::size_t(w) * std::size_t(h)};
  if (need_horizontal && need_vertical && !horizontal_first(w, h, out_w, out_h, release)) {
    const std::vector<std::uint8_t> tmp = vertical_pass(src, w, precompute_weights(h, out_h));
    return horizontal_pass(tmp.data(), w, 0, out_h, precompute_weights(w, out_w));
  }
  AxisWeights vert = precompute_weights(h, out_h);
  if (!need_horizontal) return vertical_pass(src, w, vert);
  // The horizontal pass covers only the rows the vertical pass reads.
  const int row0 = vert.first.front();
  const int row_end = vert.first.back() + vert.count.back();
  for (int& f : vert.first) f -= row0;
  std::vector<std::uint8_t> tmp = horizontal_pass(src, w, row0, row_end - row0, precompute_weights(w, out_w));
  return need_vertical ? vertical_pass(tmp.data(), out_w, vert) : tmp;
}

PilSize shortest_edge_size(int w, int h, int shortest_edge) {
  check_size("input", w, h);
  if (shortest_edge <= 0)
    throw Error("pil_resize: shortest_edge " + std::to_string(shortest_edge) + " is not positive");
  const bool portrait = w <= h;  // ties count as portrait, as in transformers
  const int short_side = portrait ? w : h, long_side = portrait ? h : w;
  // Python's int(size * long / short): the exact product, a correctly rounded division, truncation.
  const int new_long = static_cast<int>(static_cast<double>(std::int64_t(shortest_edge) * long_side) / short_side);
  return portrait ? PilSize{shortest_edge, new_long} : PilSize{new_long, shortest_edge};
}

std::vector<std::uint8_t> center_crop(const std::uint8_t* src, int w, int h, int crop_w, int crop_h) {
  check_size("input", w, h);
  check_size("crop", crop_w, crop_h);
  // Python's floor division; negative when the image is smaller and gets padded, which is the
  // same offset transformers reaches through ceil((crop - size) / 2) of padding.
  auto floor_half = [](int d) { return d >= 0 ? d / 2 : -((-d + 1) / 2); };
  const int left = floor_half(w - crop_w), top = floor_half(h - crop_h);
  std::vector<std::uint8_t> out(std::size_t(crop_w) * std::size_t(crop_h), 0);
  for (int y = 0; y < crop_h; ++y) {
    const int sy = y + top;
    if (sy < 0 || sy >= h) continue;
    const std::uint8_t* in = src + std::size_t(sy) * std::size_t(w);
    std::uint8_t* line = out.data() + std::size_t(y) * std::size_t(crop_w);
    for (int x = 0; x < crop_w; ++x)
      if (x + left >= 0 && x + left < w) line[x] = in[x + left];
  }
  return out;
}

void pil_clip_plane(const GrayImage& image, int shortest_edge, int crop_w, int crop_h, float* out,
                    PillowRelease release) {
  check_image(image);
  const std::vector<std::uint8_t> bytes = to_8bit(image);
  const PilSize size = shortest_edge_size(image.width, image.height, shortest_edge);
  const std::vector<std::uint8_t> resized =
      pil_resize_bicubic(bytes.data(), image.width, image.height, size.width, size.height, release);
  rescale_into(center_crop(resized.data(), size.width, size.height, crop_w, crop_h), out);
}

std::vector<std::uint8_t> pad_to_square(const std::uint8_t* src, int w, int h, std::uint8_t pad_value) {
  check_size("input", w, h);
  const int side = std::max(w, h);
  const int left = (side - w) / 2, top = (side - h) / 2;  // one of them is 0
  std::vector<std::uint8_t> out(std::size_t(side) * std::size_t(side), pad_value);
  for (int y = 0; y < h; ++y)
    std::copy_n(src + std::size_t(y) * std::size_t(w), w,
                out.begin() + std::ptrdiff_t(std::size_t(y + top) * std::size_t(side) + std::size_t(left)));
  return out;
}

void pil_pad_square_clip_plane(const GrayImage& image, std::uint8_t pad_value, int shortest_edge, int crop_w,
                               int crop_h, float* out, PillowRelease release) {
  check_image(image);
  const int side = std::max(image.width, image.height);
  const std::vector<std::uint8_t> square = pad_to_square(to_8bit(image).data(), image.width, image.height, pad_value);
  const PilSize size = shortest_edge_size(side, side, shortest_edge);
  const std::vector<std::uint8_t> resized =
      pil_resize_bicubic(square.data(), side, side, size.width, size.height, release);
  rescale_into(center_crop(resized.data(), size.width, size.height, crop_w, crop_h), out);
}

void pil_stretch_plane(const GrayImage& image, int out_w, int out_h, float* out, PillowRelease release) {
  check_image(image);
  const std::vector<std::uint8_t> bytes = to_8bit(image);
  rescale_into(pil_resize_bicubic(bytes.data(), image.width, image.height, out_w, out_h, release), out);
}

}  // namespace imaxbench
