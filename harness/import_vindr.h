// `imaxbench import vindr-cxr`: grounding samples (rec, reg) from VinDr-CXR's box annotations
// (PhysioNet "VinDr-CXR"): annotations/annotations_{train,test}.csv with image_id, rad_id,
// class_name, x_min, y_min, x_max, y_max (pixels of the image; blank for "No finding"), images
// {train,test}/IMAGE_ID.dicom. Each image's boxes of one finding are one grounding sample, the
// finding's name its phrase (harness/import_common.h: rec when it has one box, reg per box). The
// training set's three readers each drew their own boxes: --radiologist keeps one reader's; the
// test set holds the five readers' consensus.
#pragma once

#include <string>

#include "harness/import_common.h"

namespace imaxbench {

struct VindrImportOptions {
  std::string annotations;  // annotations_train.csv or annotations_test.csv
  std::string images;       // folder holding IMAGE_ID + image_suffix
  std::string image_suffix = ".dicom";
  std::string radiologist;  // when given, only this rad_id's boxes
  std::string out;
  std::string name;
};

ImportReport import_vindr(const VindrImportOptions& options);

// The phrase a finding's name becomes: lower-cased unless it is an acronym ("Aortic enlargement"
// -> "aortic enlargement", "ILD" stays), "/" read as "or" ("Nodule/Mass" -> "nodule or mass").
std::string vindr_phrase(const std::string& class_name);

}  // namespace imaxbench
