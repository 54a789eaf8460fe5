// JPEG through libjpeg(-turbo), decoded straight to grayscale. libjpeg reports errors through
// error_exit, which must not return; we longjmp out of it. As in png_decode.cc, the functions that
// call setjmp hold only trivially destructible locals, so the jump skips no destructor.
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first
#include <jpeglib.h>

#include <csetjmp>

#include "harness/image_decode.h"

namespace imaxbench {

namespace {

// A progressive file can declare thousands of tiny scans and make decoding quadratic; real
// encoders write about ten. Same idea as djpeg's -maxscan.
constexpr int kMaxScans = 500;

struct JpegErrorState {
  jpeg_error_mgr mgr;  // first member: libjpeg hands us a pointer to it
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_jpeg_error(j_common_ptr cinfo) {
  auto* state = reinterpret_cast<JpegErrorState*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, state->message);
  std::longjmp(state->jump, 1);
}

// Level -1 is a warning: premature end of data, corrupt entropy data, extraneous bytes. libjpeg
// would go on and invent gray pixels, so a warning fails the decode like an error.
void on_jpeg_message(j_common_ptr cinfo, int level) {
  if (level < 0) on_jpeg_error(cinfo);
}

void on_jpeg_progress(j_common_ptr common) {
  auto* cinfo = reinterpret_cast<j_decompress_ptr>(common);
  if (cinfo->is_decompressor && cinfo->input_scan_number > kMaxScans) {
    auto* state = reinterpret_cast<JpegErrorState*>(common->err);
    std::snprintf(state->message, sizeof state->message,
                  "more than %d progressive scans (a decompression bomb?)", kMaxScans);
    std::longjmp(state->jump, 1);
  }
}

struct JpegHandle {
  jpeg_decompress_struct cinfo{};
  bool created = false;
  ~JpegHandle() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
};

bool create_jpeg(j_decompress_ptr cinfo, JpegErrorState* state) {
  if (setjmp(state->jump)) return false;
  jpeg_create_decompress(cinfo);
  return true;
}

bool read_jpeg_header(j_decompress_ptr cinfo, JpegErrorState* state, const unsigned char* data,
                      unsigned long size) {
  if (setjmp(state->jump)) return false;
  jpeg_mem_src(cinfo, data, size);
  if (jpeg_read_header(cinfo, TRUE) != JPEG_HEADER_OK) {
    std::snprintf(state->message, sizeof state->message, "no image in the file (tables only)");
    return false;
  }
  return true;
}

// Decodes scanline by scanline through `row` (output_width bytes), widening into `out`, and reads
// up to the EOI marker.
bool read_jpeg_pixels(j_decompress_ptr cinfo, JpegErrorState* state, unsigned char* row, std::uint16_t* out) {
  if (setjmp(state->jump)) return false;
  cinfo->out_color_space = JCS_GRAYSCALE;
  jpeg_start_decompress(cinfo);
  if (cinfo->output_components != 1 || cinfo->output_width != cinfo->image_width ||
      cinfo->output_height != cinfo->image_height) {
    std::snprintf(state->message, sizeof state->message, "libjpeg returned an unexpected output layout");
    return false;
  }
  while (cinfo->output_scanline < cinfo->output_height) {
    std::uint16_t* dst = out + static_cast<std::size_t>(cinfo->output_scanline) * cinfo->output_width;
    JSAMPROW rows[1] = {row};
    jpeg_read_scanlines(cinfo, rows, 1);
    for (JDIMENSION x = 0; x < cinfo->output_width; ++x) dst[x] = row[x];
  }
  jpeg_finish_decompress(cinfo);
  return true;
}

}  // namespace

GrayImage decode_jpeg(std::span<const unsigned char> bytes, const std::string& path,
                      const DecodeLimits& limits) {
  JpegErrorState state{};
  JpegHandle h;
  h.cinfo.err = jpeg_std_error(&state.mgr);
  state.mgr.error_exit = on_jpeg_error;
  state.mgr.emit_message = on_jpeg_message;
  jpeg_progress_mgr progress{};
  progress.progress_monitor = on_jpeg_progress;
  if (!create_jpeg(&h.cinfo, &state))
    throw ImageError(path, std::string("libjpeg could not start: ") + state.message);
  h.created = true;
  h.cinfo.progress = &progress;

  auto corrupt = [&](const char* stage) {
    return ImageError(path, std::string("corrupt or unsupported JPEG (") + state.message +
                                ", while reading the " + stage + "); re-export or replace the image");
  };
  if (!read_jpeg_header(&h.cinfo, &state, bytes.data(), static_cast<unsigned long>(bytes.size())))
    throw corrupt("header");
  check_pixel_cap(h.cinfo.image_width, h.cinfo.image_height, path, limits);

  std::vector<unsigned char> row(h.cinfo.image_width);
  GrayImage out;
  out.width = static_cast<int>(h.cinfo.image_width);
  out.height = static_cast<int>(h.cinfo.image_height);
  out.max_value = 255;
  out.format = "jpeg";
  out.pixels.resize(static_cast<std::size_t>(h.cinfo.image_width) * h.cinfo.image_height);
  if (!read_jpeg_pixels(&h.cinfo, &state, row.data(), out.pixels.data())) throw corrupt("pixel data");
  return out;
}

}  // namespace imaxbench
