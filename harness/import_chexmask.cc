#include "harness/import_chexmask.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/csv.h"
#include "core/error.h"
#include "harness/import_mimic.h"  // mimic_study_folder

namespace imaxbench {

namespace fs = std::filesystem;

namespace {

bool next_number(std::string_view& text, std::int64_t& value) {
  const std::size_t start = text.find_first_not_of(' ');
  if (start == std::string_view::npos) return false;
  text.remove_prefix(start);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || (end != text.data() + text.size() && *end != ' ')) {
    value = -1;  // not a number: the caller reports it
    text = {};
    return true;
  }
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

}  // namespace

std::optional<ColumnExtent> rle_column_extent(std::string_view rle, std::int64_t height, std::int64_t width,
                                              std::string& problem) {
  if (height <= 0 || width <= 0 || height > (1 << 16) || width > (1 << 16)) {
    problem = "Height and Width must be positive (at most 65536)";
    return std::nullopt;
  }
  const std::int64_t cells = height * width;
  std::optional<ColumnExtent> out;
  std::int64_t start = 0, length = 0;
  while (next_number(rle, start)) {
    if (!next_number(rle, length)) {
      problem = "a run-length start without its length";
      return std::nullopt;
    }
    if (start < 1 || length < 1 || start - 1 > cells - length) {
      problem = "a run outside the Height x Width grid (or not a number)";
      return std::nullopt;
    }
    const std::int64_t a = start - 1, b = start - 1 + length - 1;  // first and last cell, 0-based
    ColumnExtent e = a / width == b / width ? ColumnExtent{a % width, b % width} : ColumnExtent{0, width - 1};
    if (!out) out = e;
    else out->left = std::min(out->left, e.left), out->right = std::max(out->right, e.right);
  }
  if (!out) problem = "an empty mask";
  return out;
}

std::optional<double> cardiothoracic_ratio(std::string_view heart, std::string_view left_lung,
                                           std::string_view right_lung, std::int64_t height, std::int64_t width,
                                           std::string& problem) {
  std::string why;
  const auto h = rle_column_extent(heart, height, width, why);
  if (!h) return problem = "Heart: " + why, std::nullopt;
  const auto l = rle_column_extent(left_lung, height, width, why);
  if (!l) return problem = "Left Lung: " + why, std::nullopt;
  const auto r = rle_column_extent(right_lung, height, width, why);
  if (!r) return problem = "Right Lung: " + why, std::nullopt;
  const double heart_width = static_cast<double>(h->right - h->left + 1);
  const double thorax_width = static_cast<double>(std::max(l->right, r->right) - std::min(l->left, r->left) + 1);
  return heart_width / thorax_width;
}

ImportReport import_chexmask(const ChexmaskImportOptions& o) {
  if (o.masks.empty() || o.images.empty() || o.out.empty())
    throw UsageError("import chexmask needs MASKS.csv, --images DIR and --out DIR");
  ImportReport report;
  SuiteWriter writer(o.out);
  const CsvTable t = read_csv(o.masks);
  const std::size_t c_id = t.column(o.id_column), c_dice = t.column("Dice RCA (Mean)"),
                    c_left = t.column("Left Lung"), c_right = t.column("Right Lung"), c_heart = t.column("Heart"),
                    c_height = t.column("Height"), c_width = t.column("Width");
  std::map<std::string, fs::path> mimic_folder;  // dicom_id -> files/pXX/pSUBJECT/sSTUDY
  if (!o.mimic_metadata.empty()) {
    const CsvTable m = read_csv(o.mimic_metadata);
    const std::size_t d = m.column("dicom_id"), s = m.column("subject_id"), st = m.column("study_id");
    for (const auto& row : m.rows) {
      mimic_folder[row.fields[d]] = mimic_study_folder(row.fields[s], row.fields[st]);
    }
  }
  for (const auto& row : t.rows) {
    ++report.records;
    const std::string where = t.where(row);
    const std::string& id = row.fields[c_id];
    if (!safe_file_id(id)) {
      report.skip(where, "the image id is empty or holds a path separator");
      continue;
    }
    const auto dice = field_number(row.fields[c_dice]), height = field_number(row.fields[c_height]),
               width = field_number(row.fields[c_width]);
    auto whole = [](const std::optional<double>& v) { return v && *v == std::floor(*v) && std::fabs(*v) < 1e9; };
    if (!dice || !whole(height) || !whole(width)) {
      report.skip(where, "Dice RCA (Mean) must be a number, Height and Width whole numbers");
      continue;
    }
    if (*dice < o.min_dice) {
      report.skip(where, "Dice RCA (Mean) below --min-dice");
      continue;
    }
    std::string problem;
    const auto ctr = cardiothoracic_ratio(row.fields[c_heart], row.fields[c_left], row.fields[c_right],
                                          static_cast<std::int64_t>(*height), static_cast<std::int64_t>(*width), problem);
    if (!ctr) {
      report.skip(where, problem);
      continue;
    }
    if (!(*ctr > 0 && *ctr <= 1)) {
      report.skip(where, "the heart is wider than the thorax (CTR outside (0, 1])");
      continue;
    }
    fs::path image;
    if (!o.mimic_metadata.empty()) {
      auto it = mimic_folder.find(id);
      if (it == mimic_folder.end()) {
        report.skip(where, "the MIMIC metadata has no such dicom_id");
        continue;
      }
      image = fs::path(o.images) / it->second / (id + ".jpg");
    } else {
      image = fs::path(o.images) / (id + o.image_suffix);
    }
    std::error_code ec;
    if (!fs::is_regular_file(image, ec)) {
      report.skip(where, "image not found");
      continue;
    }
    nlohmann::ordered_json rec = {{"id", "ctr-" + id},
                                  {"task", "calculation"},
                                  {"image", writer.image_field(image, report)},
                                  {"image_id", id},
                                  {"quantity", "ctr"},
                                  {"reference", *ctr}};
    writer.add("calculation", rec, report);
  }
  report.suite_path = writer.write(o.name);
  return report;
}

}  // namespace imaxbench
