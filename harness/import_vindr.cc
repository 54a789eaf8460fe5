#include "harness/import_vindr.h"

#include <cctype>
#include <filesystem>
#include <vector>

#include "core/csv.h"
#include "core/error.h"
#include "images/image_header.h"

namespace imaxbench {

namespace fs = std::filesystem;

std::string vindr_phrase(const std::string& class_name) {
  std::string out;
  std::size_t word_start = 0;
  for (std::size_t i = 0; i <= class_name.size(); ++i) {
    if (i < class_name.size() && class_name[i] != ' ' && class_name[i] != '/') continue;
    std::string word = class_name.substr(word_start, i - word_start);
    std::size_t upper = 0;
    for (unsigned char c : word) upper += std::isupper(c) ? 1 : 0;
    if (upper < 2)
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += word;
    if (i < class_name.size()) out += class_name[i] == '/' ? " or " : " ";
    word_start = i + 1;
  }
  return out;
}

ImportReport import_vindr(const VindrImportOptions& o) {
  if (o.annotations.empty() || o.images.empty() || o.out.empty())
    throw UsageError("import vindr-cxr needs ANNOTATIONS.csv, --images DIR and --out DIR");
  ImportReport report;
  SuiteWriter writer(o.out);
  const CsvTable t = read_csv(o.annotations);
  const std::size_t c_image = t.column("image_id"), c_class = t.column("class_name"), c_x1 = t.column("x_min"),
                    c_y1 = t.column("y_min"), c_x2 = t.column("x_max"), c_y2 = t.column("y_max");
  if (!o.radiologist.empty() && !t.has_column("rad_id"))
    throw UsageError(o.annotations + ": --radiologist needs a rad_id column, and the file has none");
  const std::size_t c_rad = o.radiologist.empty() ? 0 : t.column("rad_id");
  PhraseBoxes findings;  // the finding's name as the phrase, until it is made one below
  for (const auto& row : t.rows) {
    if (!o.radiologist.empty() && row.fields[c_rad] != o.radiologist) continue;
    ++report.records;
    const std::string where = t.where(row);
    const std::string& id = row.fields[c_image];
    const std::string& name = row.fields[c_class];
    if (!safe_file_id(id)) {
      report.skip(where, "the image id is empty or holds a path separator");
      continue;
    }
    if (name == "No finding") {
      report.skip(where, "No finding: no box to ground");
      continue;
    }
    const auto x1 = field_number(row.fields[c_x1]), y1 = field_number(row.fields[c_y1]),
               x2 = field_number(row.fields[c_x2]), y2 = field_number(row.fields[c_y2]);
    if (!x1 || !y1 || !x2 || !y2 || name.find_first_not_of(' ') == std::string::npos) {
      report.skip(where, "class_name blank, or x_min, y_min, x_max, y_max not numbers");
      continue;
    }
    findings.add(where, id, name, {*x1, *y1, *x2, *y2});
  }
  for (const PhraseBoxes::Group& f : findings.groups()) {
    const fs::path image = fs::path(o.images) / (f.image + o.image_suffix);
    std::string problem;
    const auto header = read_image_header(image.string(), problem);
    if (!header) {
      std::error_code ec;
      report.skip(f.where, fs::exists(image, ec) ? "image: " + problem : "image not found");
      continue;
    }
    GroundedPhrase g{f.where,
                     "vindr-" + f.image + "-" + std::to_string(f.ordinal),
                     writer.image_field(image, report),
                     f.image,
                     {static_cast<double>(header->width), static_cast<double>(header->height)},
                     vindr_phrase(f.phrase),
                     f.boxes};
    add_grounding(g, writer, report);
  }
  report.suite_path = writer.write(o.name);
  return report;
}

}  // namespace imaxbench
