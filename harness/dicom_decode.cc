// DICOM through DCMTK: dcmdata parses the file and its registered codecs decompress the pixel
// data; the grayscale math (rescale, window, MONOCHROME1) is ours, in dicom_voi.cc, so it is
// exact in double precision (DCMTK's renderer truncates fractional rescale results) and tested.
#include "harness/image_decode.h"

#ifndef IMAXBENCH_HAVE_DICOM

namespace imaxbench {

GrayImage decode_dicom(std::span<const unsigned char>, const std::string& path, const DecodeLimits&) {
  throw ImageError(path,
                   "this is a DICOM image but imaxbench was built without DICOM support; rebuild "
                   "with -DIMAXBENCH_WITH_DICOM=ON (needs Debian's libdcmtk-dev) or convert the "
                   "image to 16-bit PNG");
}

}  // namespace imaxbench

#else

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrma.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "harness/dicom_voi.h"

namespace imaxbench {

namespace {

void init_dcmtk() {
  static std::once_flag once;
  std::call_once(once, [] {
    // DCMTK would print its own warnings to stderr; our ImageError carries what matters.
    OFLog::configure(OFLogger::OFF_LOG_LEVEL);
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();   // JPEG baseline, extended, lossless
    DJLSDecoderRegistration::registerCodecs(); // JPEG-LS
    // The registrations live for the whole process; releasing them at exit keeps leak checkers
    // (valgrind, LeakSanitizer) quiet so that a real leak stands out.
    std::atexit([] {
      DJLSDecoderRegistration::cleanup();
      DJDecoderRegistration::cleanup();
      DcmRLEDecoderRegistration::cleanup();
    });
  });
}

// The file's bytes as a DCMTK input stream that, unlike DcmInputBufferStream, can hand out a
// factory (a way to reopen it at an offset). With one, DcmElement::read skips a value longer
// than DCM_MaxReadLength instead of loading it, loads it when it is used, and fails the parse when
// fewer bytes remain than its length field claims. Without one, DCMTK allocates whatever a length
// field says before reading: 4 GiB for a 600-byte damaged file (found by tests/fuzz).
class MemoryProducer : public DcmProducer {
 public:
  MemoryProducer(std::span<const unsigned char> bytes, offile_off_t at)
      : bytes_(bytes), pos_(std::min<offile_off_t>(at, static_cast<offile_off_t>(bytes.size()))) {}
  OFBool good() const override { return status_.good(); }
  OFCondition status() const override { return status_; }
  OFBool eos() override { return avail() == 0; }
  offile_off_t avail() override { return static_cast<offile_off_t>(bytes_.size()) - pos_; }
  offile_off_t read(void* buf, offile_off_t n) override {
    if (!status_.good() || !buf || n <= 0) return 0;
    n = std::min(n, avail());
    std::memcpy(buf, bytes_.data() + pos_, static_cast<std::size_t>(n));
    pos_ += n;
    return n;
  }
  offile_off_t skip(offile_off_t n) override {
    if (!status_.good() || n <= 0) return 0;
    n = std::min(n, avail());
    pos_ += n;
    return n;
  }
  void putback(offile_off_t n) override {
    if (!status_.good() || n <= 0) return;
    if (n <= pos_) pos_ -= n;
    else status_ = EC_PutbackFailed;
  }

 private:
  std::span<const unsigned char> bytes_;
  offile_off_t pos_;
  OFCondition status_ = EC_Normal;
};

class MemoryInputStream : public DcmInputStream {
 public:
  MemoryInputStream(std::span<const unsigned char> bytes, offile_off_t at)
      : DcmInputStream(&producer_), producer_(bytes, at), bytes_(bytes), at_(at) {}
  DcmInputStreamFactory* newFactory() const override;

 private:
  MemoryProducer producer_;  // DcmInputStream only stores the pointer until then
  std::span<const unsigned char> bytes_;
  offile_off_t at_;
};

class MemoryStreamFactory : public DcmInputStreamFactory {
 public:
  MemoryStreamFactory(std::span<const unsigned char> bytes, offile_off_t at) : bytes_(bytes), at_(at) {}
  DcmInputStream* create() const override { return new MemoryInputStream(bytes_, at_); }
  DcmInputStreamFactory* clone() const override { return new MemoryStreamFactory(*this); }
  DcmInputStreamFactoryType ident() const override { return DFT_DcmInputFileStreamFactory; }

 private:
  std::span<const unsigned char> bytes_;
  offile_off_t at_;
};

DcmInputStreamFactory* MemoryInputStream::newFactory() const {
  // As DcmInputFileStream does: no factory once a (deflate) filter sits in front of the bytes.
  if (currentProducer() != &producer_) return nullptr;
  return new MemoryStreamFactory(bytes_, at_ + tell());
}

struct Layout {
  Uint16 rows = 0, columns = 0, samples = 1, bits_allocated = 0, bits_stored = 0, high_bit = 0;
  Uint16 pixel_representation = 0, planar_configuration = 0;
  std::string photometric;
};

Uint16 get_us(DcmDataset& ds, const DcmTagKey& tag, const char* name, const std::string& path,
              std::optional<Uint16> fallback = std::nullopt) {
  Uint16 value = 0;
  if (ds.findAndGetUint16(tag, value).good()) return value;
  if (fallback) return *fallback;
  throw ImageError(path, std::string("DICOM file has no ") + name + " " + tag.toString().c_str() +
                             "; it is not an image object or is damaged");
}

Layout read_layout(DcmDataset& ds, const std::string& path) {
  Layout l;
  l.rows = get_us(ds, DCM_Rows, "Rows", path);
  l.columns = get_us(ds, DCM_Columns, "Columns", path);
  l.samples = get_us(ds, DCM_SamplesPerPixel, "Samples per Pixel", path, 1);
  l.bits_allocated = get_us(ds, DCM_BitsAllocated, "Bits Allocated", path);
  l.bits_stored = get_us(ds, DCM_BitsStored, "Bits Stored", path, l.bits_allocated);
  l.high_bit = get_us(ds, DCM_HighBit, "High Bit", path, Uint16(l.bits_stored - 1));
  l.pixel_representation = get_us(ds, DCM_PixelRepresentation, "Pixel Representation", path, 0);
  l.planar_configuration = get_us(ds, DCM_PlanarConfiguration, "Planar Configuration", path, 0);
  OFString photometric;
  if (ds.findAndGetOFString(DCM_PhotometricInterpretation, photometric).bad())
    throw ImageError(path, "DICOM file has no Photometric Interpretation (0028,0004)");
  l.photometric = photometric.c_str();
  if (l.bits_allocated != 8 && l.bits_allocated != 16)
    throw ImageError(path, "DICOM Bits Allocated is " + std::to_string(l.bits_allocated) +
                               "; only 8 and 16 are supported");
  if (l.bits_stored < 1 || l.bits_stored > l.bits_allocated || l.high_bit < l.bits_stored - 1 ||
      l.high_bit >= l.bits_allocated)
    throw ImageError(path, "DICOM Bits Stored " + std::to_string(l.bits_stored) + " / High Bit " +
                               std::to_string(l.high_bit) + " do not fit Bits Allocated " +
                               std::to_string(l.bits_allocated));
  return l;
}

std::optional<std::int32_t> read_padding(DcmDataset& ds, const DcmTagKey& tag, const GrayscalePipeline& gp) {
  Uint16 u = 0;
  Sint16 s = 0;
  if (ds.findAndGetUint16(tag, u).good()) return stored_value(u & ((1u << gp.bits_stored) - 1), gp);
  if (ds.findAndGetSint16(tag, s).good()) return s;
  return std::nullopt;
}

GrayscalePipeline read_pipeline(DcmDataset& ds, const Layout& l) {
  GrayscalePipeline gp;
  gp.bits_stored = l.bits_stored;
  gp.is_signed = l.pixel_representation == 1;
  gp.invert = l.photometric == "MONOCHROME1";
  Float64 slope = 1, intercept = 0, center = 0, width = 0;
  bool has_rescale = ds.findAndGetFloat64(DCM_RescaleSlope, slope).good();
  if (has_rescale) gp.slope = slope;
  if (ds.findAndGetFloat64(DCM_RescaleIntercept, intercept).good()) gp.intercept = intercept;
  // A Modality LUT Sequence (not applied here) changes the units the window is written in, so
  // without a rescale the window cannot be trusted: fall back to min..max of the stored values.
  bool modality_lut = !has_rescale && ds.tagExistsWithValue(DCM_ModalityLUTSequence);
  if (!modality_lut && ds.findAndGetFloat64(DCM_WindowCenter, center, 0).good() &&
      ds.findAndGetFloat64(DCM_WindowWidth, width, 0).good()) {
    VoiWindow w{center, width, VoiFunction::kLinear};
    OFString function;
    if (ds.findAndGetOFString(DCM_VOILUTFunction, function).good()) {
      if (function == "LINEAR_EXACT") w.function = VoiFunction::kLinearExact;
      if (function == "SIGMOID") w.function = VoiFunction::kSigmoid;
    }
    gp.window = w;
  }
  gp.padding_value = read_padding(ds, DCM_PixelPaddingValue, gp);
  if (gp.padding_value) gp.padding_limit = read_padding(ds, DCM_PixelPaddingRangeLimit, gp);
  return gp;
}

template <typename T>
void map_monochrome(const T* raw, std::size_t n, const Layout& l, const GrayscalePipeline& gp,
                    std::uint16_t* out) {
  const unsigned shift = l.high_bit + 1u - l.bits_stored;
  const std::uint32_t mask = (std::uint32_t{1} << l.bits_stored) - 1;
  std::vector<std::uint8_t> present;
  if (!(gp.window && voi_window_valid(*gp.window))) {
    present.assign(std::size_t{mask} + 1, 0);
    for (std::size_t i = 0; i < n; ++i) present[(std::uint32_t{raw[i]} >> shift) & mask] = 1;
  }
  const std::vector<std::uint16_t> lut = build_gray_lut(gp, present);
  for (std::size_t i = 0; i < n; ++i) out[i] = lut[(std::uint32_t{raw[i]} >> shift) & mask];
}

// RGB becomes BT.601 luma; YBR_FULL already carries luma in Y. Both are rescaled to 0..65535.
template <typename T>
void map_color(const T* raw, std::size_t n, const Layout& l, std::uint16_t* out) {
  const unsigned shift = l.high_bit + 1u - l.bits_stored;
  const std::uint32_t mask = (std::uint32_t{1} << l.bits_stored) - 1;
  const bool planar = l.planar_configuration == 1, ybr = l.photometric == "YBR_FULL";
  auto at = [&](std::size_t i, std::size_t c) {
    return (std::uint32_t{planar ? raw[c * n + i] : raw[i * 3 + c]} >> shift) & mask;
  };
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t y = ybr ? at(i, 0) : luma601(at(i, 0), at(i, 1), at(i, 2));
    out[i] = static_cast<std::uint16_t>(std::lround(y * 65535.0 / mask));
  }
}

}  // namespace

GrayImage decode_dicom(std::span<const unsigned char> bytes, const std::string& path,
                       const DecodeLimits& limits) {
  init_dcmtk();
  if (!dcmDataDict.isDictionaryLoaded())
    throw ImageError(path, "DCMTK's data dictionary is not loaded; install libdcmtk17 (it ships "
                           "dicom.dic) or point DCMDICTPATH at dicom.dic");
  MemoryInputStream stream(bytes, 0);
  DcmFileFormat file;
  file.transferInit();
  OFCondition status = file.read(stream);
  file.transferEnd();
  if (status.bad())
    throw ImageError(path, std::string("not a readable DICOM file (") + status.text() +
                               "); the file is truncated or damaged");
  DcmDataset& ds = *file.getDataset();
  if (!ds.tagExistsWithValue(DCM_PixelData))
    throw ImageError(path, "DICOM file has no Pixel Data (7FE0,0010); it is not an image object");

  const Layout header = read_layout(ds, path);
  check_pixel_cap(header.columns, header.rows, path, limits);
  const DcmXfer xfer(ds.getOriginalXfer());
  if (xfer.isEncapsulated()) {
    // Decompression materialises every frame, so the cap covers all of them.
    Sint32 frames = 1;
    ds.findAndGetSint32(DCM_NumberOfFrames, frames);
    check_pixel_cap(header.columns, std::int64_t{header.rows} * std::max<Sint32>(frames, 1), path, limits);
    if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ||
        !ds.canWriteXfer(EXS_LittleEndianExplicit))
      throw ImageError(path, std::string("DICOM transfer syntax '") + xfer.getXferName() + "' (" +
                                 xfer.getXferID() + ") cannot be decoded by this build (supported: "
                                 "uncompressed, RLE, JPEG baseline/extended/lossless, JPEG-LS); "
                                 "decompress it first, e.g. with gdcmconv --raw");
  }
  const Layout l = read_layout(ds, path);  // decompression may rewrite Photometric Interpretation

  bool mono = l.photometric == "MONOCHROME1" || l.photometric == "MONOCHROME2";
  bool color = (l.photometric == "RGB" || l.photometric == "YBR_FULL") && l.samples == 3;
  if ((!mono && !color) || (mono && l.samples != 1))
    throw ImageError(path, "DICOM Photometric Interpretation '" + l.photometric + "' with " +
                               std::to_string(l.samples) + " samples per pixel is not supported "
                               "(MONOCHROME1, MONOCHROME2, RGB and YBR_FULL are)");
  const std::size_t n = std::size_t{l.rows} * l.columns;
  const std::size_t values = n * l.samples;
  const Uint8* raw8 = nullptr;
  const Uint16* raw16 = nullptr;
  unsigned long count = 0;
  OFCondition got = l.bits_allocated == 8 ? ds.findAndGetUint8Array(DCM_PixelData, raw8, &count)
                                          : ds.findAndGetUint16Array(DCM_PixelData, raw16, &count);
  if (got.bad() || count < values)
    throw ImageError(path, "DICOM Pixel Data holds " + std::to_string(count) + " values but " +
                               std::to_string(l.rows) + "x" + std::to_string(l.columns) + "x" +
                               std::to_string(l.samples) + " are needed; the file is truncated");

  GrayImage out;
  out.width = l.columns;
  out.height = l.rows;
  out.max_value = 65535;
  out.format = "dicom";
  out.pixels.resize(n);
  if (mono) {
    const GrayscalePipeline gp = read_pipeline(ds, l);
    if (raw8) map_monochrome(raw8, n, l, gp, out.pixels.data());
    else map_monochrome(raw16, n, l, gp, out.pixels.data());
  } else {
    if (raw8) map_color(raw8, n, l, out.pixels.data());
    else map_color(raw16, n, l, out.pixels.data());
  }
  return out;
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_DICOM
