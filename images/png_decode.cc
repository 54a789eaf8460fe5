// PNG through libpng's progressive-free read API. libpng reports errors by longjmp; the functions
// that call setjmp hold only trivially destructible locals and every C++ object (buffers, the
// result) lives in the caller's frame, so the jump never skips a destructor. The header check of a
// split (read_png_header) and decode_png open the file with the same PngReader.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <string_view>

#include "images/image_decode.h"
#include "images/image_header.h"

namespace imaxbench {

namespace {

struct PngSource {
  ImageSource* source;
  std::uint64_t pos;
  char message[256];
  char warning[256];  // the first warning: libpng explains an "Invalid IHDR data" error in one
};

[[noreturn]] void on_png_error(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->message, sizeof source->message, "%s", message);
  png_longjmp(png, 1);
}

// Recoverable (libpng already repaired it), but kept: it says why an error that follows happened.
void on_png_warning(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  if (!source->warning[0]) std::snprintf(source->warning, sizeof source->warning, "%s", message);
}

void read_png_bytes(png_structp png, png_bytep out, png_size_t count) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (source->source->read_at(source->pos, out, count) != count) png_error(png, "file ends early (truncated PNG)");
  source->pos += count;
}

// Owns libpng's two structs for the whole decode.
struct PngHandles {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngHandles() {
    if (png) png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
  }
};

struct PngLayout {
  png_uint_32 width;
  png_uint_32 height;
  int bit_depth;   // 8 or 16 after the transforms
  int channels;    // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA after the transforms
  std::size_t rowbytes;
};

// Reads the chunks before IDAT. Returns false when libpng failed (message in the source).
bool read_png_info(png_structp png, png_infop info, PngLayout* layout) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  layout->width = png_get_image_width(png, info);
  layout->height = png_get_image_height(png, info);
  return true;
}

// libpng on `source` with the chunks before the image data read (IHDR, palette, ...): where the
// header check and the decoder both start. Throws ImageError with libpng's reason.
class PngReader {
 public:
  PngReader(ImageSource& source, const std::string& path) : source_{&source, 0, {}, {}}, path_(path) {
    h_.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source_, on_png_error, on_png_warning);
    if (h_.png) h_.info = png_create_info_struct(h_.png);
    if (!h_.png || !h_.info) throw ImageError(path, "libpng could not start (out of memory)");
    png_set_read_fn(h_.png, &source_, read_png_bytes);
    if (!read_png_info(h_.png, h_.info, &layout_)) throw corrupt("header");
  }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  png_structp png() const { return h_.png; }
  png_infop info() const { return h_.info; }
  PngLayout& layout() { return layout_; }
  ImageError corrupt(const char* stage) const {
    std::string why = source_.message;
    // Header warnings explain the error (libpng's "Invalid IHDR data" follows "Image width is zero");
    // later ones (a bad iCCP profile) are unrelated to what failed.
    if (std::string_view(stage) == "header" && source_.warning[0]) why += ": " + std::string(source_.warning);
    return ImageError(path_, "corrupt PNG (" + why + ", while reading the " + stage +
                                 "); re-export or replace the image");
  }

 private:
  PngSource source_;  // libpng keeps pointers to it: the reader neither copies nor moves
  PngHandles h_;
  PngLayout layout_{};
  std::string path_;
};

// Sets the transforms (palette to RGB, low bit depths to 8, interlace passes) and reports the
// row layout they produce.
bool prepare_png_rows(png_structp png, png_infop info, PngLayout* layout) {
  if (setjmp(png_jmpbuf(png))) return false;
  int color_type = png_get_color_type(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8)
    png_set_expand_gray_1_2_4_to_8(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  layout->bit_depth = png_get_bit_depth(png, info);
  layout->channels = png_get_channels(png, info);
  layout->rowbytes = png_get_rowbytes(png, info);
  return true;
}

template <bool kSixteen>
std::uint16_t sample(const unsigned char* row, std::size_t index) {
  if constexpr (kSixteen) return static_cast<std::uint16_t>((row[2 * index] << 8) | row[2 * index + 1]);
  return row[index];
}

template <bool kSixteen>
void row_to_gray(const unsigned char* row, std::size_t width, std::size_t channels, std::uint16_t* dst) {
  for (std::size_t x = 0; x < width; ++x) {
    std::size_t i = x * channels;
    // Alpha (channel 2 of 2, channel 4 of 4) is ignored, as PIL's convert("L") does.
    dst[x] = channels <= 2 ? sample<kSixteen>(row, i)
                           : luma601(sample<kSixteen>(row, i), sample<kSixteen>(row, i + 1),
                                     sample<kSixteen>(row, i + 2));
  }
}

// Decodes the pixels into `out` and reads the chunks after IDAT, so a file cut after its pixels
// still fails. Non-interlaced images go row by row through one row of `raw`; interlaced ones
// need the whole image in `raw` (rows[] points into it) before any row is final.
bool read_png_pixels(png_structp png, png_infop info, const PngLayout* layout, unsigned char* raw,
                     png_bytepp rows, std::uint16_t* out) {
  if (setjmp(png_jmpbuf(png))) return false;
  const std::size_t width = layout->width, channels = static_cast<std::size_t>(layout->channels);
  auto convert = layout->bit_depth == 16 ? row_to_gray<true> : row_to_gray<false>;
  if (rows) {
    png_read_image(png, rows);
    for (std::size_t y = 0; y < layout->height; ++y) convert(rows[y], width, channels, out + y * width);
  } else {
    for (std::size_t y = 0; y < layout->height; ++y) {
      png_read_row(png, raw, nullptr);
      convert(raw, width, channels, out + y * width);
    }
  }
  png_read_end(png, info);
  return true;
}

}  // namespace

ImageHeader read_png_header(ImageSource& source, const std::string& path) {
  PngReader reader(source, path);
  return ImageHeader{"png", reader.layout().width, reader.layout().height};
}

GrayImage decode_png(std::span<const unsigned char> bytes, const std::string& path,
                     const DecodeLimits& limits) {
  MemorySource source(bytes);
  PngReader r(source, path);
  PngLayout& layout = r.layout();
  check_pixel_cap(layout.width, layout.height, path, limits);
  if (!prepare_png_rows(r.png(), r.info(), &layout)) throw r.corrupt("header");
  if ((layout.bit_depth != 8 && layout.bit_depth != 16) || layout.channels < 1 || layout.channels > 4)
    throw ImageError(path, "unsupported PNG layout (" + std::to_string(layout.channels) +
                               " channels of " + std::to_string(layout.bit_depth) + " bits)");

  const bool interlaced = png_get_interlace_type(r.png(), r.info()) != PNG_INTERLACE_NONE;
  std::vector<unsigned char> raw(layout.rowbytes * (interlaced ? layout.height : 1));
  std::vector<png_bytep> rows(interlaced ? layout.height : 0);
  for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = raw.data() + y * layout.rowbytes;
  GrayImage out;
  out.width = static_cast<int>(layout.width);
  out.height = static_cast<int>(layout.height);
  out.max_value = layout.bit_depth == 16 ? 65535 : 255;
  out.format = "png";
  out.pixels.resize(static_cast<std::size_t>(layout.width) * layout.height);
  if (!read_png_pixels(r.png(), r.info(), &layout, raw.data(), interlaced ? rows.data() : nullptr, out.pixels.data()))
    throw r.corrupt("image data");
  return out;
}

}  // namespace imaxbench
