// DICOM files written by DCMTK's command-line tools, not by us (tests/data/images/
// transfer_syntaxes/make.sh): every common transfer syntax has its size read by the header check
// and decodes to the pixels of the uncompressed original (lossless ones exactly); the header
// check and the decoder agree on every file, refusals included; a header check reads no pixels.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "images/image_decode.h"
#include "images/image_header.h"

#ifdef IMAXBENCH_HAVE_DICOM
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "images/dicom_jpeg_guard.h"
#endif

namespace imaxbench {
namespace {

using ::testing::HasSubstr;

std::string file(const std::string& name) {
  return std::string(IMAXBENCH_SOURCE_DIR) + "/tests/data/images/transfer_syntaxes/" + name;
}

// The problem the header check reports, or "" when it accepts the file as a 40x24 DICOM image.
std::string header_problem(const std::string& name) {
  std::string problem;
  const auto header = read_image_header(file(name), problem);
  if (!header) return problem.empty() ? "refused without a reason" : problem;
  if (header->format != "dicom" || header->width != 40 || header->height != 24)
    return "read as " + header->format + " " + std::to_string(header->width) + "x" + std::to_string(header->height);
  return "";
}

#ifdef IMAXBENCH_HAVE_DICOM

const char* const kLossless[] = {"explicit_le.dcm", "implicit_le.dcm", "big_endian.dcm",
                                 "deflated.dcm", "rle.dcm", "jpeg_lossless.dcm",
                                 "jpeg_lossless_sv1.dcm", "jpeg_ls_lossless.dcm"};

TEST(DicomTransferSyntaxes, LosslessSyntaxesReadAndDecodeToTheSamePixels) {
  const GrayImage original = decode_image(file("explicit_le.dcm"));
  ASSERT_EQ(original.pixels.size(), 40u * 24u);
  for (const char* name : kLossless) {
    EXPECT_EQ(header_problem(name), "") << name;
    const GrayImage img = decode_image(file(name));
    EXPECT_EQ(img.width, 40) << name;
    EXPECT_EQ(img.height, 24) << name;
    EXPECT_EQ(img.pixels, original.pixels) << name;
  }
}

double mean_abs_difference(const GrayImage& a, const GrayImage& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
  return sum / double(a.pixels.size());
}

// Lossy syntaxes: the size is exact, the pixels close to the original (about 1% of full scale).
TEST(DicomTransferSyntaxes, LossySyntaxesReadAndDecodeClose) {
  struct Case { const char* name; const char* original; };
  for (const Case& c : {Case{"jpeg_baseline.dcm", "explicit_le_8bit.dcm"},
                        Case{"jpeg_extended_12bit.dcm", "explicit_le.dcm"},
                        Case{"jpeg_ls_near_lossless.dcm", "explicit_le.dcm"}}) {
    EXPECT_EQ(header_problem(c.name), "") << c.name;
    const GrayImage img = decode_image(file(c.name));
    const GrayImage original = decode_image(file(c.original));
    ASSERT_EQ(img.pixels.size(), original.pixels.size()) << c.name;
    EXPECT_LT(mean_abs_difference(img, original), 0.02 * 65535) << c.name;
  }
}

// The header check refuses what the decoder refuses, with the same reason.
TEST(DicomTransferSyntaxes, RefusalsAgreeAndNameTheProblem) {
  struct Case { const char* name; const char* says; };
  for (const Case& c : {Case{"jpeg2000_relabelled.dcm", "'JPEG 2000 (Lossless only)' (1.2.840.10008.1.2.4.90) cannot be decoded"},
                        Case{"not_dicom.dcm", "not a PNG, JPEG or DICOM image"},
                        Case{"truncated.dcm", "truncated"},
                        // Deflated, so DCMTK cannot check the claimed 3.9 GB against the file; the
                        // stream's own inflate does (before, a 4 GB allocation: fuzz_image_header).
                        Case{"deflated_bad_length.dcm", "truncated or damaged"}}) {
    EXPECT_THAT(header_problem(c.name), HasSubstr(c.says)) << c.name;
    try {
      (void)decode_image(file(c.name));
      ADD_FAILURE() << c.name << " decoded";
    } catch (const ImageError& e) {
      EXPECT_THAT(e.problem(), HasSubstr(c.says)) << c.name;
    }
  }
}

// DCMTK's JPEG decoder walks each fragment's markers and never moves past a TEM marker (FF01): a
// damaged file (found by fuzz_image_decode) hung it. It is refused before DCMTK sees it.
TEST(DicomTransferSyntaxes, JpegFragmentWithATemMarkerIsRefusedNotHung) {
  const std::string hang = std::string(IMAXBENCH_SOURCE_DIR) + "/tests/fuzz/corpus/image_decode/jpeg-tem-marker-hang.dcm";
  try {
    (void)decode_image(hang);
    ADD_FAILURE() << "decoded";
  } catch (const ImageError& e) {
    EXPECT_THAT(e.problem(), HasSubstr("TEM marker"));
  }
  const unsigned char tem[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00};
  EXPECT_TRUE(jpeg_walk_reaches_tem(tem));
  const unsigned char sof[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x0C, 0x00, 0x18, 0x00, 0x28, 0x01, 0xFF, 0x01};
  EXPECT_FALSE(jpeg_walk_reaches_tem(sof));  // the frame header comes first
  const unsigned char data[] = {0x12, 0xFF, 0x01, 0x00, 0x00, 0x00};
  EXPECT_FALSE(jpeg_walk_reaches_tem(data));  // not a marker: the walk stops
  for (const char* name : kLossless) EXPECT_EQ(header_problem(name), "") << name;  // real JPEGs pass
  EXPECT_NO_THROW((void)decode_image(file("jpeg_baseline.dcm")));
}

// Counts the bytes a reader asks for.
class CountingSource : public ImageSource {
 public:
  explicit CountingSource(std::span<const unsigned char> bytes) : inner_(bytes) {}
  std::uint64_t size() const override { return inner_.size(); }
  std::size_t read_at(std::uint64_t offset, void* out, std::size_t n) noexcept override {
    const std::size_t got = inner_.read_at(offset, out, n);
    read_ += got;
    return got;
  }
  std::uint64_t bytes_read() const { return read_; }

 private:
  MemorySource inner_;
  std::uint64_t read_ = 0;
};

// A 512x512 16-bit image: the header check reads its attributes and skips the 512 KiB of pixels.
TEST(DicomTransferSyntaxes, HeaderCheckReadsNoPixelData) {
  DcmFileFormat dicom;
  DcmDataset* ds = dicom.getDataset();
  std::vector<Uint16> pixels(512 * 512, 1000);
  ds->putAndInsertString(DCM_SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.1.4");
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_Rows, 512);
  ds->putAndInsertUint16(DCM_Columns, 512);
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ASSERT_TRUE(ds->putAndInsertUint16Array(DCM_PixelData, pixels.data(), pixels.size()).good());
  const std::string path = ::testing::TempDir() + "/imaxbench_header_only.dcm";
  ASSERT_TRUE(dicom.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  const std::string bytes = [&] {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  std::remove(path.c_str());
  CountingSource source({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
  const ImageHeader header = read_dicom_header(source, "mem.dcm");
  EXPECT_EQ(header.width, 512);
  EXPECT_EQ(header.height, 512);
  EXPECT_LT(source.bytes_read(), 16u * 1024) << "of " << bytes.size();
}

#else

TEST(DicomTransferSyntaxes, BuildWithoutDicomSaysSoInTheHeaderCheck) {
  EXPECT_THAT(header_problem("explicit_le.dcm"), HasSubstr("built without DICOM support"));
  EXPECT_THAT(header_problem("not_dicom.dcm"), HasSubstr("not a PNG, JPEG or DICOM image"));
}

#endif

}  // namespace
}  // namespace imaxbench
