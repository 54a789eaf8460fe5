// JPEG through libjpeg(-turbo), decoded straight to grayscale. libjpeg reports errors through
// error_exit, which must not return; we longjmp out of it. As in png_decode.cc, the functions that
// call setjmp hold only trivially destructible locals, so the jump skips no destructor. The header
// check of a split (read_jpeg_header) and decode_jpeg open the file with the same JpegReader.
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first
#include <jpeglib.h>
#include <jerror.h>  // WARNMS and JWRN_JPEG_EOF for the file source

#include <csetjmp>

#include "images/image_decode.h"
#include "images/image_header.h"

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

// A libjpeg data source reading a file on demand in 16 KiB chunks, for header checks that should
// not read a whole image (memory sources use jpeg_mem_src). At the end of the file it supplies a
// fake EOI marker with libjpeg's "premature end" warning, as jpeg_stdio_src does; the warning
// fails the read (on_jpeg_message).
struct JpegFileSource {
  jpeg_source_mgr mgr;  // first member: libjpeg hands us a pointer to it
  ImageSource* source;
  std::uint64_t pos;
  JOCTET buffer[16384];
};

void init_file_source(j_decompress_ptr) {}
void term_file_source(j_decompress_ptr) {}

boolean fill_file_source(j_decompress_ptr cinfo) {
  auto* src = reinterpret_cast<JpegFileSource*>(cinfo->src);
  std::size_t n = src->source->read_at(src->pos, src->buffer, sizeof src->buffer);
  src->pos += n;
  if (n == 0) {
    WARNMS(cinfo, JWRN_JPEG_EOF);
    src->buffer[0] = 0xFF;
    src->buffer[1] = JPEG_EOI;
    n = 2;
  }
  src->mgr.next_input_byte = src->buffer;
  src->mgr.bytes_in_buffer = n;
  return TRUE;
}

void skip_file_source(j_decompress_ptr cinfo, long count) {
  auto* src = reinterpret_cast<JpegFileSource*>(cinfo->src);
  if (count <= 0) return;
  if (static_cast<std::size_t>(count) <= src->mgr.bytes_in_buffer) {
    src->mgr.next_input_byte += count;
    src->mgr.bytes_in_buffer -= static_cast<std::size_t>(count);
    return;
  }
  src->pos += static_cast<std::uint64_t>(count) - src->mgr.bytes_in_buffer;
  src->mgr.bytes_in_buffer = 0;  // the next read refills from the new position
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

bool read_jpeg_header(j_decompress_ptr cinfo, JpegErrorState* state, ImageSource* source,
                      JpegFileSource* file_source) {
  if (setjmp(state->jump)) return false;
  if (source->data()) {
    jpeg_mem_src(cinfo, source->data(), static_cast<unsigned long>(source->size()));
  } else {
    file_source->mgr.init_source = init_file_source;
    file_source->mgr.fill_input_buffer = fill_file_source;
    file_source->mgr.skip_input_data = skip_file_source;
    file_source->mgr.resync_to_restart = jpeg_resync_to_restart;
    file_source->mgr.term_source = term_file_source;
    file_source->source = source;
    cinfo->src = &file_source->mgr;
  }
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

// libjpeg on `source` with the markers up to the first scan read (frame size, tables): where the
// header check and the decoder both start. Throws ImageError with libjpeg's reason.
class JpegReader {
 public:
  JpegReader(ImageSource& source, const std::string& path) : path_(path) {
    h_.cinfo.err = jpeg_std_error(&state_.mgr);
    state_.mgr.error_exit = on_jpeg_error;
    state_.mgr.emit_message = on_jpeg_message;
    progress_.progress_monitor = on_jpeg_progress;
    if (!create_jpeg(&h_.cinfo, &state_))
      throw ImageError(path, std::string("libjpeg could not start: ") + state_.message);
    h_.created = true;
    h_.cinfo.progress = &progress_;
    if (!read_jpeg_header(&h_.cinfo, &state_, &source, &file_source_)) throw corrupt("header");
  }
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;

  j_decompress_ptr cinfo() { return &h_.cinfo; }
  JpegErrorState* state() { return &state_; }
  ImageError corrupt(const char* stage) const {
    return ImageError(path_, std::string("corrupt or unsupported JPEG (") + state_.message +
                                 ", while reading the " + stage + "); re-export or replace the image");
  }

 private:
  JpegErrorState state_{};  // libjpeg keeps pointers to these: the reader neither copies nor moves
  jpeg_progress_mgr progress_{};
  JpegFileSource file_source_{};
  JpegHandle h_;  // last: destroyed first, while the state it points to still lives
  std::string path_;
};

}  // namespace

ImageHeader read_jpeg_header(ImageSource& source, const std::string& path) {
  JpegReader reader(source, path);
  return ImageHeader{"jpeg", reader.cinfo()->image_width, reader.cinfo()->image_height};
}

GrayImage decode_jpeg(std::span<const unsigned char> bytes, const std::string& path,
                      const DecodeLimits& limits) {
  MemorySource source(bytes);
  JpegReader r(source, path);
  j_decompress_ptr cinfo = r.cinfo();
  check_pixel_cap(cinfo->image_width, cinfo->image_height, path, limits);

  std::vector<unsigned char> row(cinfo->image_width);
  GrayImage out;
  out.width = static_cast<int>(cinfo->image_width);
  out.height = static_cast<int>(cinfo->image_height);
  out.max_value = 255;
  out.format = "jpeg";
  out.pixels.resize(static_cast<std::size_t>(cinfo->image_width) * cinfo->image_height);
  if (!read_jpeg_pixels(cinfo, r.state(), row.data(), out.pixels.data())) throw r.corrupt("pixel data");
  return out;
}

}  // namespace imaxbench
