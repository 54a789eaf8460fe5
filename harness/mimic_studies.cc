#include "harness/mimic_studies.h"

#include <algorithm>
#include <cctype>

#include "core/csv.h"

namespace imaxbench {

namespace fs = std::filesystem;

namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

fs::path mimic_study_folder(const std::string& subject, const std::string& study) {
  std::string group = "p";
  group.append(subject, 0, 2);  // (not "p" + substr: GCC 12 warns falsely on that, -Wrestrict)
  return fs::path("files") / group / ("p" + subject) / ("s" + study);
}

MimicStudies::MimicStudies(const MimicImportOptions& o, SuiteWriter& writer, ImportReport& report)
    : root_(o.root), writer_(writer), report_(report) {
  const CsvTable meta = read_csv(o.metadata);
  const std::size_t m_dicom = meta.column("dicom_id"), m_subject = meta.column("subject_id"),
                    m_study = meta.column("study_id"), m_view = meta.column("ViewPosition");
  for (const auto& row : meta.rows) {
    const std::string& dicom = row.fields[m_dicom];
    const std::string& study = row.fields[m_study];
    study_of_dicom_.emplace(dicom, Study{row.fields[m_subject], study});
    subject_of_study_.emplace(study, row.fields[m_subject]);
    const auto v = std::find(o.views.begin(), o.views.end(), row.fields[m_view]);
    if (v == o.views.end()) continue;
    const Chosen c{static_cast<int>(v - o.views.begin()), dicom};
    auto [it, added] = image_of_study_.emplace(study, c);
    if (!added && (c.rank < it->second.rank || (c.rank == it->second.rank && c.dicom < it->second.dicom)))
      it->second = c;
  }
}

bool MimicStudies::numeric_ids(const std::string& subject, const std::string& study) {
  return all_digits(subject) && subject.size() >= 2 && all_digits(study);
}

std::optional<MimicStudies::Study> MimicStudies::study_of(const std::string& dicom) const {
  auto it = study_of_dicom_.find(dicom);
  if (it == study_of_dicom_.end()) return std::nullopt;
  return it->second;
}

bool MimicStudies::prefer(const std::string& dicom) {
  const auto s = study_of(dicom);
  if (!s) return false;
  Chosen& c = image_of_study_[s->study];
  if (c.rank != -1 || dicom < c.dicom) c = {-1, dicom};  // two named images: the smaller id, as for views
  return true;
}

std::optional<nlohmann::ordered_json> MimicStudies::record(const std::string& w, const std::string& subject,
                                                           const std::string& study, const std::string& task,
                                                           const std::string& dicom, fs::path* file_out) const {
  if (!numeric_ids(subject, study)) {
    report_.skip(w, "subject_id and study_id must be numbers");
    return std::nullopt;
  }
  std::string image = dicom;
  if (image.empty()) {
    auto it = image_of_study_.find(study);
    if (it == image_of_study_.end()) {
      report_.skip(w, "the metadata has no image of this study in the views asked for");
      return std::nullopt;
    }
    image = it->second.dicom;
  }
  const fs::path file = fs::path(root_) / mimic_study_folder(subject, study) / (image + ".jpg");
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    report_.skip(w, "image not found under --root");
    return std::nullopt;
  }
  if (file_out) *file_out = file;
  return nlohmann::ordered_json{{"id", "s" + study + "-" + task},
                                {"task", task},
                                {"image", writer_.image_field(file, report_)},
                                {"image_id", image}};
}

}  // namespace imaxbench
