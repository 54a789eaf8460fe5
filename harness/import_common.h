// What every importer (`imaxbench import ...`) shares: the report of what was imported and what
// was not (counted by reason, the first twenty listed with where they are), and the writer of the
// suite folder (one split per task, suite.json) with image paths relative to it.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sample.h"

namespace imaxbench {

struct ImportReport {
  std::size_t records = 0;   // input records read (conversations, CSV rows, ...)
  std::size_t imported = 0;  // samples written
  std::map<std::string, std::size_t> per_task;
  std::map<std::string, std::size_t> skipped_by_reason;
  std::vector<std::pair<std::string, std::string>> skipped_examples;  // where, reason (first 20)
  std::string suite_path;       // "" when nothing was imported (nothing written)
  bool images_outside = false;  // some image lies outside the suite folder

  void skip(const std::string& where, const std::string& reason);
};

class SuiteWriter {
 public:
  explicit SuiteWriter(const std::string& out);
  // The path a record names `image` by: relative to the suite folder (noting in `report` when it
  // has to leave the folder).
  std::string image_field(const std::filesystem::path& image, ImportReport& report) const;
  void add(const std::string& task, const nlohmann::ordered_json& record, ImportReport& report);
  // Writes the splits (in the tasks' registry order) and suite.json; returns the suite's path, ""
  // when no record was added.
  std::string write(const std::string& name) const;

 private:
  std::filesystem::path out_;
  std::map<std::string, std::string> splits_;  // task -> JSONL text
};

// An image id that can name a file in a folder: not empty, no path separator, not "." or "..".
bool safe_file_id(const std::string& id);

// A CSV field as a number: the whole field, finite (leading and trailing spaces allowed); nullopt
// otherwise ("0.5x", "", "nan").
std::optional<double> field_number(std::string_view field);

// A phrase and the boxes drawn for it on one image (MS-CXR, VinDr-CXR), turned into grounding
// samples: a `rec` sample "<stem>-rec" when the phrase has exactly one box (REC's reference is one
// box; a phrase with several is reported), and a `reg` sample "<stem>-reg-<k>" for each box (its
// description is the phrase however many others there are). Boxes are pixels of `image_size`;
// one reaching past the image's edge is clipped to it, one wholly outside is reported.
struct GroundedPhrase {
  std::string where;  // FILE:LINE of the phrase's first row
  std::string stem;
  std::string image;  // as records name it (SuiteWriter::image_field)
  std::string image_id;
  std::array<double, 2> image_size{};  // width, height
  std::string phrase;
  std::vector<Box> boxes;
};
void add_grounding(const GroundedPhrase& phrase, SuiteWriter& writer, ImportReport& report);

// Box rows (MS-CXR, VinDr-CXR) gathered into phrases: one group per image and phrase, in the order
// each pair first appears, numbered per image for the samples' ids.
class PhraseBoxes {
 public:
  struct Group {
    std::string where;  // FILE:LINE of the group's first row
    std::string image, phrase;
    int ordinal = 0;  // 1 for its image's first phrase, 2 for the next, ...
    std::vector<Box> boxes;
  };
  // Adds a row's box to its group (made on the pair's first row); returns the group's index.
  std::size_t add(const std::string& where, const std::string& image, const std::string& phrase, const Box& box);
  const std::vector<Group>& groups() const { return groups_; }

 private:
  std::vector<Group> groups_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
  std::map<std::string, int> phrases_of_image_;
};

}  // namespace imaxbench
