// DICOM decoding: rescale, VOI window and MONOCHROME1 against values worked out by hand, the
// min..max fallback, codecs, and refusals. Fixtures from tests/data/images/make_fixtures.py.
#include <gtest/gtest.h>

#include <cmath>

#include "images/dicom_voi.h"
#include "images/image_decode.h"

#ifdef IMAXBENCH_HAVE_DICOM
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>
#endif

namespace imaxbench {
namespace {

std::string fixture(const std::string& name) {
  return std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/images/" + name;
}

// DICOM PS3.3 C.11.2.1.2.1, linear VOI with center c and width w onto [0, y_max]:
//   x <= c - 0.5 - (w-1)/2  -> 0
//   x >  c - 0.5 + (w-1)/2  -> y_max
//   else ((x - (c - 0.5)) / (w - 1) + 0.5) * y_max        (then rounded to nearest)
[[maybe_unused]] std::uint16_t linear_voi(double x, double c, double w) {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 65535;
  return static_cast<std::uint16_t>(std::lround(((x - (c - 0.5)) / (w - 1) + 0.5) * 65535));
}

TEST(DicomVoi, FormulaEdges) {
  VoiWindow linear{1000, 2000, VoiFunction::kLinear};
  EXPECT_EQ(apply_voi(0, linear, 65535), 0);           // left border is c - 0.5 - 999.5 = 0
  EXPECT_GT(apply_voi(0.001, linear, 65535), 0);
  EXPECT_EQ(apply_voi(1999, linear, 65535), 65535);    // right border 1999 is inside: value 1
  EXPECT_EQ(apply_voi(1999.5, linear, 65535), 65535);
  EXPECT_DOUBLE_EQ(apply_voi(999.5, linear, 65535), 65535 / 2.0);
  VoiWindow step{10, 1, VoiFunction::kLinear};          // width 1: a threshold at c - 0.5
  EXPECT_EQ(apply_voi(9.5, step, 1), 0);
  EXPECT_EQ(apply_voi(9.6, step, 1), 1);
  EXPECT_TRUE(voi_window_valid(step));
  EXPECT_FALSE(voi_window_valid({10, 0.5, VoiFunction::kLinear}));
  EXPECT_TRUE(voi_window_valid({10, 0.5, VoiFunction::kLinearExact}));
  VoiWindow sigmoid{50, 20, VoiFunction::kSigmoid};
  EXPECT_DOUBLE_EQ(apply_voi(50, sigmoid, 100), 50);
  EXPECT_NEAR(apply_voi(60, sigmoid, 100), 100 / (1 + std::exp(-2.0)), 1e-12);
}

TEST(DicomVoi, SignedStoredValues) {
  GrayscalePipeline p;
  p.bits_stored = 12;
  p.is_signed = true;
  EXPECT_EQ(stored_value(0x800, p), -2048);
  EXPECT_EQ(stored_value(0xFFF, p), -1);
  EXPECT_EQ(stored_value(0x7FF, p), 2047);
}

#ifdef IMAXBENCH_HAVE_DICOM

// Stored 12-bit values; the second carries garbage above High Bit (0xF000 | 400) that must be
// masked. Rescale: m = 2 s - 1024. Window: first of center "1000", width "2000\400".
const int kStored[8] = {0, 400, 512, 1000, 1024, 2000, 3000, 4095};

TEST(DicomDecode, Monochrome2RescaleThenWindow) {
  GrayImage img = decode_image(fixture("monochrome2_window.dcm"));
  EXPECT_EQ(img.format, "dicom");
  EXPECT_EQ(img.width, 4);
  EXPECT_EQ(img.height, 2);
  EXPECT_EQ(img.max_value, 65535);
  ASSERT_EQ(img.pixels.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(img.pixels[i], linear_voi(2.0 * kStored[i] - 1024, 1000, 2000)) << i;
  // By hand: m = 976 -> ((976 - 999.5) / 1999 + 0.5) * 65535 = 31997.08; m = 1024 -> 33570.71.
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{0, 0, 0, 31997, 33571, 65535, 65535, 65535}));
}

TEST(DicomDecode, Monochrome1IsInvertedAfterWindow) {
  GrayImage mono1 = decode_image(fixture("monochrome1_window.dcm"));
  EXPECT_EQ(mono1.pixels, (std::vector<std::uint16_t>{65535, 65535, 65535, 33538, 31964, 0, 0, 0}));
}

TEST(DicomDecode, ImplicitVrMatchesExplicit) {
  EXPECT_EQ(decode_image(fixture("monochrome2_window_implicit.dcm")).pixels,
            decode_image(fixture("monochrome2_window.dcm")).pixels);
}

// Signed 12-bit, slope 0.25, intercept 0.5, no window: min..max of the modality values with the
// padding value -2048 left out. Modality values 0.25 .. 512.25, y = (m - 0.25) / 512 * 65535.
TEST(DicomDecode, SignedMinMaxSkipsPadding) {
  GrayImage img = decode_image(fixture("signed_minmax.dcm"));
  // stored -2048 (padding, clamps to 0), -1, 0, 1, 100, 2047
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{0, 0, 32, 64, 3232, 65535}));
}

// LINEAR_EXACT (C.11.2.1.3.2), c = 100, w = 64: x <= 68 -> 0, x > 132 -> max,
// else ((x - 100) / 64 + 0.5) * 65535: 75 -> 7167.89, 100 -> 32767.5, 120 -> 53247.19.
TEST(DicomDecode, EightBitLinearExact) {
  GrayImage img = decode_image(fixture("mono8_linear_exact.dcm"));
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{0, 7168, 32768, 53247, 65535}));
}

TEST(DicomDecode, RgbBecomesLumaScaledTo16Bits) {
  GrayImage img = decode_image(fixture("rgb8.dcm"));
  EXPECT_EQ(img.pixels, (std::vector<std::uint16_t>{76 * 257, 150 * 257, 124 * 257}));
}

TEST(DicomDecode, Refusals) {
  auto expect_error = [](const std::string& name, const std::string& needle) {
    try {
      decode_image(fixture(name));
      ADD_FAILURE() << "no error for " << name;
    } catch (const ImageError& e) {
      EXPECT_EQ(e.path(), fixture(name));
      EXPECT_NE(e.problem().find(needle), std::string::npos) << e.what();
    }
  };
  expect_error("truncated.dcm", "truncated");
  expect_error("no_pixels.dcm", "no Pixel Data");
  expect_error("jpeg2000.dcm", "JPEG 2000");
  expect_error("bomb.dcm", "65535x65535");
}

// Compressed transfer syntaxes through DCMTK's own encoders: each lossless copy must decode to
// the same pixels as the uncompressed original.
TEST(DicomDecode, LosslessCodecsRoundTrip) {
  DcmRLEEncoderRegistration::registerCodecs();
  DJEncoderRegistration::registerCodecs();
  DJLSEncoderRegistration::registerCodecs();
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  const Uint16 rows = 48, cols = 40;
  std::vector<Uint16> pixels(rows * cols);
  for (int i = 0; i < rows * cols; ++i) pixels[i] = Uint16((i * 37 + (i / cols) * 11) % 4096);
  ASSERT_TRUE(ds->putAndInsertString(DCM_SOPClassUID, "1.2.840.10008.5.1.4.1.1.1.1").good());
  ASSERT_TRUE(ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.3").good());
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertUint16(DCM_Rows, rows);
  ds->putAndInsertUint16(DCM_Columns, cols);
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 12);
  ds->putAndInsertUint16(DCM_HighBit, 11);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds->putAndInsertString(DCM_WindowCenter, "2048");
  ds->putAndInsertString(DCM_WindowWidth, "3000");
  ASSERT_TRUE(ds->putAndInsertUint16Array(DCM_PixelData, pixels.data(), pixels.size()).good());
  const std::string plain = testing::TempDir() + "/imaxbench_plain.dcm";
  ASSERT_TRUE(file.saveFile(plain.c_str(), EXS_LittleEndianExplicit).good());
  const GrayImage expected = decode_image(plain);
  EXPECT_EQ(expected.pixels[1], linear_voi(37, 2048, 3000));

  DJ_RPLossless jpeg_lossless(6, 0);  // first-order prediction: process 14 SV1
  DJLSRepresentationParameter jpeg_ls(0, OFTrue);
  struct Case { E_TransferSyntax xfer; const DcmRepresentationParameter* params; const char* name; };
  for (const Case& c : {Case{EXS_RLELossless, nullptr, "rle"},
                        Case{EXS_JPEGProcess14SV1, &jpeg_lossless, "jpeg_lossless"},
                        Case{EXS_JPEGLSLossless, &jpeg_ls, "jpeg_ls"}}) {
    DcmFileFormat copy(file);
    ASSERT_TRUE(copy.getDataset()->chooseRepresentation(c.xfer, c.params).good()) << c.name;
    const std::string path = testing::TempDir() + "/imaxbench_" + c.name + ".dcm";
    ASSERT_TRUE(copy.saveFile(path.c_str(), c.xfer).good()) << c.name;
    GrayImage got = decode_image(path);
    EXPECT_EQ(got.pixels, expected.pixels) << c.name;
    std::remove(path.c_str());
  }
  std::remove(plain.c_str());
  DJLSEncoderRegistration::cleanup();
  DJEncoderRegistration::cleanup();
  DcmRLEEncoderRegistration::cleanup();
}

#else

TEST(DicomDecode, BuildWithoutDicomSaysSo) {
  try {
    decode_image(fixture("monochrome2_window.dcm"));
    ADD_FAILURE() << "decoded a DICOM file without DICOM support";
  } catch (const ImageError& e) {
    EXPECT_NE(e.problem().find("without DICOM support"), std::string::npos) << e.what();
  }
}

#endif

}  // namespace
}  // namespace imaxbench
