// DICOM through DCMTK: dcmdata parses the file and its registered codecs decompress the pixel
// data; the grayscale math (rescale, window, MONOCHROME1) is ours, in dicom_voi.cc, so it is
// exact in double precision (DCMTK's renderer truncates fractional rescale results) and tested.
#include "images/image_decode.h"

#include "images/image_header.h"

#ifndef IMAXBENCH_HAVE_DICOM

namespace imaxbench {

GrayImage decode_dicom(std::span<const unsigned char>, const std::string& path, const DecodeLimits&) {
  throw ImageError(path, no_dicom_support_problem());
}

}  // namespace imaxbench

#else

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <algorithm>
#include <cmath>

#include "images/dicom_jpeg_guard.h"
#include "images/dicom_reader.h"
#include "images/dicom_voi.h"

namespace imaxbench {

namespace {

using Layout = DicomLayout;

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
  MemorySource source(bytes);
  DicomFile file(source, path);  // the parse and checks the split's header check made
  DcmDataset& ds = file.dataset();
  const Layout& header = file.layout();
  check_pixel_cap(header.columns, header.rows, path, limits);
  const DcmXfer xfer(file.transfer_syntax());
  if (xfer.isEncapsulated()) {
    // Decompression materialises every frame, so the cap covers all of them.
    Sint32 frames = 1;
    ds.findAndGetSint32(DCM_NumberOfFrames, frames);
    check_pixel_cap(header.columns, std::int64_t{header.rows} * std::max<Sint32>(frames, 1), path, limits);
    check_jpeg_fragments(ds, xfer.getXfer(), path);  // before DCMTK's marker walk can hang on it
    if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ||
        !ds.canWriteXfer(EXS_LittleEndianExplicit))
      throw ImageError(path, undecodable_transfer_syntax(xfer.getXfer()));
  }
  const Layout l = read_dicom_layout(ds, path);  // decompression may rewrite Photometric Interpretation
  check_dicom_photometric(l, path);
  const bool mono = l.photometric == "MONOCHROME1" || l.photometric == "MONOCHROME2";
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
