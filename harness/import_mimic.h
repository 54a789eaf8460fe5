// `imaxbench import mimic-cxr`: an image-centric suite from the MIMIC-CXR releases as PhysioNet
// lays them out (docs/import.md): MIMIC-CXR-JPG's images (files/pXX/pSUBJECT/sSTUDY/DICOM.jpg) and
// mimic-cxr-2.0.0-metadata.csv (dicom_id, subject_id, study_id, ViewPosition, ...), with any of
//   - mimic-cxr-2.0.0-chexpert.csv (or -negbio): subject_id, study_id and the 14 CheXpert labels
//     as 1.0 / 0.0 / -1.0 (uncertain) / blank  ->  multilabel_classification;
//   - a pulmonary edema severity file of "Pulmonary Edema Severity Grades Based on MIMIC-CXR":
//     subject_id, study_id[, dicom_id], edema_severity 0-3  ->  multiclass_classification;
//   - MIMIC-CXR's reports (files/pXX/pSUBJECT/sSTUDY.txt): the FINDINGS section (else the
//     IMPRESSION)  ->  report_generation;
//   - MS-CXR's MS_CXR_Local_Alignment_v1.x.0.csv: dicom_id, category_name, label_text, path,
//     x, y, w, h (pixels), image_width, image_height[, split]  ->  rec and reg;
//   - Medical-Diff-VQA's mimic_pair_questions.csv: study_id, subject_id, ref_id, question_type,
//     question, answer[, split]  ->  vqa (the single-image questions).
// Each study is one image (harness/mimic_studies.h), so a study's tasks share it, as in IMAX; the
// edema file's dicom_id, when it names one, is used for that record alone.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/import_common.h"

namespace imaxbench {

struct MimicImportOptions {
  std::string root;      // MIMIC-CXR-JPG folder (holds files/)
  std::string metadata;  // mimic-cxr-2.0.0-metadata.csv
  std::string chexpert;  // optional: CheXpert labels CSV
  std::string edema;     // optional: edema severity CSV
  std::string reports;   // optional: MIMIC-CXR reports folder (holds files/)
  std::string ms_cxr;    // optional: MS-CXR phrase-grounding boxes CSV
  std::string diff_vqa;  // optional: Medical-Diff-VQA questions CSV
  std::string diff_vqa_split;  // when given, only its questions of this split (its "split" column)
  std::string out;
  std::string name;
  std::vector<std::string> views = {"PA", "AP"};
  std::string uncertain = "skip";  // a -1.0 label: skip the study, or count it positive or negative
};

// Throws UsageError for bad options, Error/DataError (file and line) for an unreadable CSV.
ImportReport import_mimic_cxr(const MimicImportOptions& options);

// MIMIC-CXR's folder of one study, files/pXX/pSUBJECT/sSTUDY (XX: the subject id's first two digits),
// as its images (MIMIC-CXR-JPG) and reports are laid out. Also used by `import chexmask`.
std::filesystem::path mimic_study_folder(const std::string& subject, const std::string& study);

// The FINDINGS section of a MIMIC-CXR report (else its IMPRESSION), whitespace collapsed; "" when
// it has neither. Exposed for tests.
std::string report_findings(std::string_view report);

}  // namespace imaxbench
