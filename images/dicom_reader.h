// DICOM through DCMTK, for both the header check of a split (read_dicom_header) and the decoder
// (decode_dicom): one parse, one reading of the image layout and one list of what this build can
// decode, so the two agree on every file, whatever its transfer syntax (explicit/implicit VR,
// big endian, deflated, RLE, JPEG, JPEG-LS). Only built with DCMTK.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <string>

#include "images/image_source.h"

namespace imaxbench {

// Image Pixel module attributes (DICOM PS3.3 C.7.6.3) of the top-level dataset; attributes inside
// sequences (a referenced image's Rows) never count.
struct DicomLayout {
  Uint16 rows = 0, columns = 0, samples = 1, bits_allocated = 0, bits_stored = 0, high_bit = 0;
  Uint16 pixel_representation = 0, planar_configuration = 0;
  std::string photometric;
};

// Throws ImageError when an attribute is missing or out of what the decoder handles (Bits
// Allocated 8 or 16, Bits Stored / High Bit inside it).
DicomLayout read_dicom_layout(DcmDataset& ds, const std::string& path);

// Throws ImageError unless the photometric interpretation is one decode_dicom maps to gray
// (MONOCHROME1/2 with one sample, RGB or YBR_FULL with three).
void check_dicom_photometric(const DicomLayout& layout, const std::string& path);

// A parsed DICOM file. Values longer than DCMTK's read limit (the pixel data) stay in `source`
// until used, so constructing one reads the header and skips the pixels; `source` must outlive
// it. Throws ImageError for a file that is not DICOM or is truncated or damaged, has no pixel data,
// an unsupported layout, or a transfer syntax this build has no decoder for (naming it).
class DicomFile {
 public:
  DicomFile(ImageSource& source, const std::string& path);
  DcmDataset& dataset() { return *file_.getDataset(); }
  const DicomLayout& layout() const { return layout_; }
  E_TransferSyntax transfer_syntax() const { return xfer_; }

 private:
  DcmFileFormat file_;
  DicomLayout layout_;
  E_TransferSyntax xfer_ = EXS_Unknown;
};

// The problem decode_dicom reports when DCMTK has no codec for an encapsulated transfer syntax.
std::string undecodable_transfer_syntax(E_TransferSyntax xfer);

}  // namespace imaxbench
