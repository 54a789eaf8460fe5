#include "images/image_decode.h"
#include "images/image_header.h"

#ifndef IMAXBENCH_HAVE_DICOM

namespace imaxbench {

std::string no_dicom_support_problem() {
  return "this is a DICOM image but imaxbench was built without DICOM support; rebuild with "
         "-DIMAXBENCH_WITH_DICOM=ON (needs Debian's libdcmtk-dev) or convert the image to 16-bit PNG";
}

ImageHeader read_dicom_header(ImageSource&, const std::string& path) {
  throw ImageError(path, no_dicom_support_problem());
}

}  // namespace imaxbench

#else

#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <cstdlib>
#include <mutex>
#include <optional>

#include "images/dicom_reader.h"
#include "images/dicom_stream.h"
#include "core/excerpt.h"

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

Uint16 get_us(DcmDataset& ds, const DcmTagKey& tag, const char* name, const std::string& path,
              std::optional<Uint16> fallback = std::nullopt) {
  Uint16 value = 0;
  if (ds.findAndGetUint16(tag, value).good()) return value;
  if (fallback) return *fallback;
  throw ImageError(path, std::string("DICOM file has no ") + name + " " + tag.toString().c_str() +
                             "; it is not an image object or is damaged");
}

}  // namespace

void check_dicom_photometric(const DicomLayout& l, const std::string& path) {
  const bool mono = l.photometric == "MONOCHROME1" || l.photometric == "MONOCHROME2";
  const bool color = (l.photometric == "RGB" || l.photometric == "YBR_FULL") && l.samples == 3;
  if ((!mono && !color) || (mono && l.samples != 1))
    throw ImageError(path, "DICOM Photometric Interpretation '" + excerpt(l.photometric) + "' with " +
                               std::to_string(l.samples) + " samples per pixel is not supported "
                               "(MONOCHROME1, MONOCHROME2, RGB and YBR_FULL are)");
}

std::string undecodable_transfer_syntax(E_TransferSyntax xfer) {
  const DcmXfer x(xfer);
  return std::string("DICOM transfer syntax '") + x.getXferName() + "' (" + x.getXferID() +
         ") cannot be decoded by this build (supported: uncompressed, deflated, RLE, JPEG "
         "baseline/extended/lossless, JPEG-LS); decompress it first, e.g. with gdcmconv --raw";
}

DicomLayout read_dicom_layout(DcmDataset& ds, const std::string& path) {
  DicomLayout l;
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

DicomFile::DicomFile(ImageSource& source, const std::string& path) {
  init_dcmtk();
  if (!dcmDataDict.isDictionaryLoaded())
    throw ImageError(path, "DCMTK's data dictionary is not loaded; install libdcmtk17 (it ships "
                           "dicom.dic) or point DCMDICTPATH at dicom.dic");
  SourceInputStream stream(source, 0);
  file_.transferInit();
  const OFCondition status = file_.read(stream);
  file_.transferEnd();
  if (status.bad())
    throw ImageError(path, std::string("not a readable DICOM file (") + status.text() +
                               "); the file is truncated or damaged");
  DcmDataset& ds = dataset();
  if (!ds.tagExistsWithValue(DCM_PixelData))
    throw ImageError(path, "DICOM file has no Pixel Data (7FE0,0010); it is not an image object");
  layout_ = read_dicom_layout(ds, path);
  xfer_ = ds.getOriginalXfer();
  if (DcmXfer(xfer_).isEncapsulated()) {
    // The codec may rewrite Photometric Interpretation (JPEG's YBR_FULL_422 becomes RGB), so for
    // compressed pixels that check waits for decode_dicom; whether a codec exists does not.
    if (!DcmCodecList::canChangeCoding(xfer_, EXS_LittleEndianExplicit))
      throw ImageError(path, undecodable_transfer_syntax(xfer_));
  } else {
    check_dicom_photometric(layout_, path);
  }
}

ImageHeader read_dicom_header(ImageSource& source, const std::string& path) {
  DicomFile file(source, path);
  return ImageHeader{"dicom", file.layout().columns, file.layout().rows};
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_DICOM
