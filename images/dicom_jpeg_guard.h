// A check of JPEG-compressed DICOM pixel data before DCMTK decodes it. DCMTK 3.6.7 (Debian 12)
// walks each JPEG fragment's markers to find its bit depth, and at a TEM marker (FF01) it does
// not move on: a damaged file would hang the process (found by tests/fuzz/fuzz_image_decode). The
// same walk here refuses such a file first. Only built with DCMTK.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <cstddef>
#include <span>
#include <string>

namespace imaxbench {

// True when a marker walk from the start of `fragment` (segments skipped by their length, fill
// bytes one at a time, up to the first frame header or anything that is not a marker) reaches a
// TEM marker.
bool jpeg_walk_reaches_tem(std::span<const unsigned char> fragment);

// Throws ImageError for a JPEG-process transfer syntax (the DCMTK decoder that walks markers)
// whose pixel fragments a marker walk would reach a TEM marker in.
void check_jpeg_fragments(DcmDataset& ds, E_TransferSyntax xfer, const std::string& path);

}  // namespace imaxbench
