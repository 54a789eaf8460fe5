#include "harness/import_mimic.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>

#include "core/csv.h"
#include "core/error.h"
#include "core/regular_file.h"
#include "core/text_lines.h"
#include "harness/mimic_studies.h"
#include "tasks/vocabulary.h"

namespace imaxbench {

namespace fs = std::filesystem;

namespace {

// A section header: a line that starts with capital words and a colon ("FINDINGS:", "WET READ:").
std::size_t header_end(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (std::isupper(static_cast<unsigned char>(line[i])) || line[i] == ' ' || line[i] == '(' ||
                             line[i] == ')' || line[i] == '/'))
    ++i;
  return i >= 3 && i < line.size() && line[i] == ':' ? i : std::string_view::npos;
}

std::string section(std::string_view report, std::string_view name) {
  std::string out;
  bool inside = false;
  std::size_t start = 0;
  while (start <= report.size()) {
    std::size_t end = report.find_first_of("\r\n", start);  // LF, CRLF or a lone CR, as the JSONL reader
    if (end == std::string_view::npos) end = report.size();
    std::string_view line = report.substr(start, end - start);
    const std::size_t lead = line.find_first_not_of(" \t");
    if (lead != std::string_view::npos) line.remove_prefix(lead);
    const std::size_t colon = header_end(line);
    if (colon != std::string_view::npos) {
      if (inside) break;
      if (line.substr(0, colon) == name) {
        inside = true;
        line.remove_prefix(colon + 1);
      }
    }
    if (inside) out += std::string(line) + " ";
    start = end + 1;
  }
  std::string collapsed;
  for (char c : out) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed += space ? ' ' : c;
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

}  // namespace

std::string report_findings(std::string_view report) {
  report = without_bom(report);  // else "FINDINGS:" on line 1 is no header
  std::string s = section(report, "FINDINGS");
  return s.empty() ? section(report, "IMPRESSION") : s;
}

ImportReport import_mimic_cxr(const MimicImportOptions& o) {
  if (o.root.empty() || o.metadata.empty() || o.out.empty())
    throw UsageError("import mimic-cxr needs --root MIMIC_CXR_JPG_DIR, --metadata FILE.csv and --out DIR");
  if (o.chexpert.empty() && o.edema.empty() && o.reports.empty() && o.ms_cxr.empty() && o.diff_vqa.empty())
    throw UsageError("import mimic-cxr: give at least one of --chexpert, --edema, --reports, --ms-cxr, --diff-vqa");
  if (o.uncertain != "skip" && o.uncertain != "positive" && o.uncertain != "negative")
    throw UsageError("--uncertain must be skip, positive or negative");
  ImportReport report;
  SuiteWriter writer(o.out);

  MimicStudies studies(o, writer, report);
  std::optional<CsvTable> ms_cxr;
  if (!o.ms_cxr.empty()) {
    ms_cxr = read_csv(o.ms_cxr);
    ms_cxr_prefer_images(*ms_cxr, studies);
  }

  if (!o.chexpert.empty()) {
    const CsvTable t = read_csv(o.chexpert);
    const std::size_t c_subject = t.column("subject_id"), c_study = t.column("study_id");
    std::vector<std::size_t> columns;
    for (const std::string& label : default_chexpert_labels()) columns.push_back(t.column(label));
    for (const auto& row : t.rows) {
      ++report.records;
      nlohmann::ordered_json labels = nlohmann::ordered_json::array();
      bool skip = false, bad = false;
      for (std::size_t k = 0; k < columns.size(); ++k) {
        const std::string& v = row.fields[columns[k]];
        if (v == "1.0" || v == "1") labels.push_back(default_chexpert_labels()[k]);
        else if (v == "-1.0" || v == "-1") {
          if (o.uncertain == "skip") skip = true;
          else if (o.uncertain == "positive") labels.push_back(default_chexpert_labels()[k]);
        } else if (!v.empty() && v != "0.0" && v != "0") bad = true;
      }
      if (bad) {
        report.skip(t.where(row), "a label value other than 1.0, 0.0, -1.0 or blank");
        continue;
      }
      if (skip) {
        report.skip(t.where(row), "an uncertain (-1.0) label; --uncertain positive|negative keeps such studies");
        continue;
      }
      auto rec = studies.record(t.where(row), row.fields[c_subject], row.fields[c_study], "multilabel_classification");
      if (!rec) continue;
      (*rec)["reference"] = labels;
      writer.add("multilabel_classification", *rec, report);
    }
  }

  if (!o.edema.empty()) {
    const CsvTable t = read_csv(o.edema);
    const std::size_t e_subject = t.column("subject_id"), e_study = t.column("study_id"),
                      e_grade = t.column("edema_severity");
    const bool per_image = t.has_column("dicom_id");
    for (const auto& row : t.rows) {
      ++report.records;
      const std::string& g = row.fields[e_grade];
      if (g.size() != 1 || g[0] < '0' || g[0] > '3') {
        report.skip(t.where(row), "edema_severity must be 0, 1, 2 or 3");
        continue;
      }
      const std::string dicom = per_image ? row.fields[t.column("dicom_id")] : "";
      auto rec = studies.record(t.where(row), row.fields[e_subject], row.fields[e_study], "multiclass_classification", dicom);
      if (!rec) continue;
      (*rec)["reference"] = default_edema_classes()[static_cast<std::size_t>(g[0] - '0')];
      writer.add("multiclass_classification", *rec, report);
    }
  }

  if (!o.reports.empty()) {
    // One report per study that has an image: the metadata's studies, in order.
    for (const auto& [study, subject] : studies.subjects()) {
      if (!MimicStudies::numeric_ids(subject, study)) continue;  // such rows are reported by the label files
      ++report.records;
      const fs::path file = fs::path(o.reports) / (mimic_study_folder(subject, study).string() + ".txt");
      std::string problem;
      RegularFile in(file.string(), "report", problem);
      if (!in.is_open()) {
        report.skip(file.string(), "no report file");
        continue;
      }
      const std::string findings = report_findings(in.read_all(std::uint64_t{16} << 20));
      if (findings.empty()) {
        report.skip(file.string(), "the report has neither a FINDINGS nor an IMPRESSION section");
        continue;
      }
      auto rec = studies.record(file.string(), subject, study, "report_generation");
      if (!rec) continue;
      (*rec)["reference"] = findings;
      writer.add("report_generation", *rec, report);
    }
  }
  if (ms_cxr) add_ms_cxr(*ms_cxr, studies);
  if (!o.diff_vqa.empty()) add_diff_vqa(read_csv(o.diff_vqa), o.diff_vqa_split, studies);
  report.suite_path = writer.write(o.name);
  return report;
}

}  // namespace imaxbench
