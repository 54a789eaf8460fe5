// `imaxbench import chexmask`: cardiothoracic ratios (the calculation task) from CheXmask's heart
// and lung segmentations (PhysioNet "CheXmask Database"): one CSV per source dataset with an image
// id column (dicom_id for MIMIC-CXR-JPG, image_id for VinDr-CXR, ...), "Dice RCA (Mean)", and the
// "Left Lung", "Right Lung" and "Heart" masks in run-length encoding over a Height x Width grid
// (pairs "start length", starts 1-based, pixels in row-major order).
//   CTR = heart width / thorax width, each the mask's horizontal extent (rightmost minus leftmost
//   column + 1, over all rows): the heart's maximal transverse diameter over the maximal width of
//   the two lungs together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/import_common.h"

namespace imaxbench {

struct ChexmaskImportOptions {
  std::string masks;           // a CheXmask CSV (decompressed)
  std::string id_column = "dicom_id";
  std::string images;          // folder the images are under
  std::string image_suffix = ".jpg";  // image = images / (id + suffix), unless --mimic-metadata
  std::string mimic_metadata;  // MIMIC-CXR-JPG: image = images/files/pXX/pSUBJECT/sSTUDY/ID.jpg
  double min_dice = 0.7;       // rows whose "Dice RCA (Mean)" is lower are left out
  std::string out;
  std::string name;
};

ImportReport import_chexmask(const ChexmaskImportOptions& options);

// The leftmost and rightmost column a run-length encoded mask covers; nullopt (with `problem`) for
// an empty mask or a run that leaves the grid. Exposed for tests.
struct ColumnExtent {
  std::int64_t left = 0, right = 0;
};
std::optional<ColumnExtent> rle_column_extent(std::string_view rle, std::int64_t height, std::int64_t width,
                                              std::string& problem);

// heart width / thorax width from the three masks; nullopt with `problem` when a mask is empty or
// malformed. Exposed for tests.
std::optional<double> cardiothoracic_ratio(std::string_view heart, std::string_view left_lung,
                                           std::string_view right_lung, std::int64_t height, std::int64_t width,
                                           std::string& problem);

}  // namespace imaxbench
