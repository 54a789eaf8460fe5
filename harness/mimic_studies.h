// MIMIC-CXR-JPG as `imaxbench import mimic-cxr` sees it: the metadata's studies and the one image
// each study contributes to the suite, so that all of a study's tasks share their image, as in
// IMAX. A study's image is the one a grounding file names (MS-CXR draws its boxes on a particular
// image), else its first frontal image (--views, PA before AP; the smallest dicom_id among equals).
// The label files (CheXpert, edema, MS-CXR, Medical-Diff-VQA) each add their task's records
// through it; their readers are declared here as well.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/import_common.h"
#include "harness/import_mimic.h"

namespace imaxbench {

struct CsvTable;

class MimicStudies {
 public:
  MimicStudies(const MimicImportOptions& options, SuiteWriter& writer, ImportReport& report);

  struct Study {
    std::string subject, study;
  };
  // The study a dicom_id belongs to; nullopt when the metadata does not list it.
  std::optional<Study> study_of(const std::string& dicom) const;
  // Makes `dicom` its study's image for every task; false when the metadata does not list it.
  bool prefer(const std::string& dicom);
  // Every study of the metadata with its subject, in study order.
  const std::map<std::string, std::string>& subjects() const { return subject_of_study_; }

  // A record's common part (id "s<study>-<task>", task, image, image_id), of `dicom` when given,
  // else of the study's image; nullopt, with the reason reported at `where`, when there is none or
  // its file is missing. `file`, when given, receives the image's path.
  std::optional<nlohmann::ordered_json> record(const std::string& where, const std::string& subject,
                                               const std::string& study, const std::string& task,
                                               const std::string& dicom = "",
                                               std::filesystem::path* file = nullptr) const;

  // MIMIC's subject and study ids are numbers (the subject's at least two digits: its folder pXX).
  static bool numeric_ids(const std::string& subject, const std::string& study);

  SuiteWriter& writer() const { return writer_; }
  ImportReport& report() const { return report_; }

 private:
  struct Chosen {
    int rank;  // -1: named by a grounding file; else the view's place in --views
    std::string dicom;
  };
  std::string root_;
  std::map<std::string, Chosen> image_of_study_;
  std::map<std::string, Study> study_of_dicom_;
  std::map<std::string, std::string> subject_of_study_;
  SuiteWriter& writer_;
  ImportReport& report_;
};

// The readers of the label files beyond the CheXpert, edema and report files (import_ms_cxr.cc,
// import_diff_vqa.cc). MS-CXR's images are made their studies' images first (ms_cxr_prefer_images),
// before any record is written.
void ms_cxr_prefer_images(const CsvTable& ms_cxr, MimicStudies& studies);
void add_ms_cxr(const CsvTable& ms_cxr, const MimicStudies& studies);
void add_diff_vqa(const CsvTable& questions, const std::string& split, const MimicStudies& studies);

}  // namespace imaxbench
