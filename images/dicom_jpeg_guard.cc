#ifdef IMAXBENCH_HAVE_DICOM

#include "images/dicom_jpeg_guard.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include "images/image_decode.h"

namespace imaxbench {

bool jpeg_walk_reaches_tem(std::span<const unsigned char> f) {
  std::size_t at = 0;
  while (at + 4 < f.size()) {
    if (f[at] != 0xFF) return false;  // not a marker: the walk stops
    const unsigned code = f[at + 1];
    const std::size_t length = (std::size_t{f[at + 2]} << 8) | f[at + 3];
    if (code == 0x01) return true;                                   // TEM
    if (code == 0xFF) at += 1;                                       // fill byte
    else if (code >= 0xD0 && code <= 0xD9) at += 2;                  // RSTn, SOI, EOI: no length
    else if (code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC)
      return false;                                                  // a frame header: found
    else if (code >= 0xC4) at += length + 2;                         // a segment with its length
    else if (code >= 0x03 && code <= 0xBF) at += 2;                  // reserved, no length
    else return false;                                               // FF00, FF02: stop
  }
  return false;
}

void check_jpeg_fragments(DcmDataset& ds, E_TransferSyntax xfer, const std::string& path) {
  if (xfer < EXS_JPEGProcess1 || xfer > EXS_JPEGProcess14SV1) return;
  DcmElement* element = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || !element) return;
  DcmPixelSequence* sequence = nullptr;
  if (static_cast<DcmPixelData*>(element)->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad() ||
      !sequence)
    return;  // DCMTK reports what is wrong when it decodes
  for (unsigned long i = 1; i < sequence->card(); ++i) {  // item 0 is the offset table
    DcmPixelItem* item = nullptr;
    Uint8* data = nullptr;
    if (sequence->getItem(item, i).bad() || !item || item->getUint8Array(data).bad() || !data) continue;
    if (jpeg_walk_reaches_tem({data, item->getLength()}))
      throw ImageError(path, "DICOM JPEG pixel data is damaged (fragment " + std::to_string(i) +
                                 " has a TEM marker where a segment should start)");
  }
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_DICOM
