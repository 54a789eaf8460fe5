// MS-CXR (PhysioNet "MS-CXR: Making the Most of Text Semantics to Improve Biomedical Vision-Language
// Processing"): MS_CXR_Local_Alignment_v1.x.0.csv, one row per box, with dicom_id, category_name,
// label_text (the phrase), path, x, y, w, h (pixels of the image_width x image_height original),
// and in v1.1.0 a split column. The rows of one image and one phrase are one grounding sample
// (harness/import_common.h: rec when it has one box, reg per box).
#include <array>
#include <vector>

#include "core/csv.h"
#include "harness/mimic_studies.h"
#include "images/image_header.h"

namespace imaxbench {

namespace fs = std::filesystem;

void ms_cxr_prefer_images(const CsvTable& t, MimicStudies& studies) {
  const std::size_t c_dicom = t.column("dicom_id");
  for (const auto& row : t.rows) studies.prefer(row.fields[c_dicom]);  // unknown ids are reported by add_ms_cxr
}

void add_ms_cxr(const CsvTable& t, const MimicStudies& studies) {
  const std::size_t c_dicom = t.column("dicom_id"), c_phrase = t.column("label_text"), c_x = t.column("x"),
                    c_y = t.column("y"), c_w = t.column("w"), c_h = t.column("h"), c_width = t.column("image_width"),
                    c_height = t.column("image_height");
  ImportReport& report = studies.report();
  PhraseBoxes phrases;
  std::vector<std::array<double, 2>> original_size;  // per group: the size its first row gives
  for (const auto& row : t.rows) {
    ++report.records;
    const std::string& dicom = row.fields[c_dicom];
    const std::string phrase = row.fields[c_phrase];
    const auto x = field_number(row.fields[c_x]), y = field_number(row.fields[c_y]), w = field_number(row.fields[c_w]),
               h = field_number(row.fields[c_h]), width = field_number(row.fields[c_width]),
               height = field_number(row.fields[c_height]);
    if (!x || !y || !w || !h || !width || !height || *w <= 0 || *h <= 0 || *width <= 0 || *height <= 0) {
      report.skip(t.where(row), "x, y, w, h, image_width and image_height must be numbers (w, h and the size > 0)");
      continue;
    }
    if (phrase.find_first_not_of(" \t\r\n") == std::string::npos) {
      report.skip(t.where(row), "label_text is blank");
      continue;
    }
    if (phrases.add(t.where(row), dicom, phrase, {*x, *y, *x + *w, *y + *h}) == original_size.size())
      original_size.push_back({*width, *height});
  }
  for (std::size_t i = 0; i < phrases.groups().size(); ++i) {
    const PhraseBoxes::Group& p = phrases.groups()[i];
    const auto study = studies.study_of(p.image);
    if (!study) {
      report.skip(p.where, "the metadata has no such dicom_id");
      continue;
    }
    fs::path file;
    auto base = studies.record(p.where, study->subject, study->study, "rec", p.image, &file);
    if (!base) continue;
    std::string problem;
    const auto header = read_image_header(file.string(), problem);
    if (!header) {
      report.skip(p.where, "image: " + problem);
      continue;
    }
    // The boxes are pixels of the original; a resized copy of the image scales them.
    const double sx = static_cast<double>(header->width) / original_size[i][0],
                 sy = static_cast<double>(header->height) / original_size[i][1];
    GroundedPhrase g{p.where,
                     "mscxr-" + p.image + "-" + std::to_string(p.ordinal),
                     (*base)["image"].get<std::string>(),
                     p.image,
                     {static_cast<double>(header->width), static_cast<double>(header->height)},
                     p.phrase,
                     {}};
    for (const Box& b : p.boxes) g.boxes.push_back({b.x1 * sx, b.y1 * sy, b.x2 * sx, b.y2 * sy});
    add_grounding(g, studies.writer(), report);
  }
}

}  // namespace imaxbench
