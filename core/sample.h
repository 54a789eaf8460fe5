// The data model shared by tasks, metrics and the harness: one evaluated record (Sample) and what
// a model said about it once parsed (Prediction). Plain values, no behaviour.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/answer_kind.h"

namespace imaxbench {

// Pixel box, x1 <= x2 and y1 <= y2 once validated.
struct Box {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  bool operator==(const Box&) const = default;
};

// A record's task inputs: what a model may be told about a sample (backends get these in a
// Request, never the references). Fields a task does not use stay empty.
struct SampleInputs {
  std::optional<std::array<double, 2>> image_size;  // width, height in pixels, when the split says
  std::string quantity;              // calculation: "ctr" or "cpar"
  std::vector<std::string> classes;  // multiclass classes, or multilabel vocabulary
  std::string phrase;                // rec
  std::optional<Box> box;            // reg input box
  std::string question;              // vqa
  std::string answer_type;           // vqa: "closed" or "open"
};

// One record of a split file (docs/formats.md §1), validated: its inputs, then where it came from and
// its references. Fields a task does not use stay empty.
struct Sample : SampleInputs {
  std::string id;
  std::string task;
  AnswerKind kind = AnswerKind::kNone;  // the task's answer kind; metrics select samples by it
  std::string image;       // as written in the split, relative to the split's folder
  std::string image_path;  // resolved path on disk (split folder + image)
  std::string image_id;    // clusters samples of one image (default: image)
  std::string prompt;      // the record's own prompt, overriding the suite template when set

  std::string source_file;  // split file and 1-based line, for messages
  std::size_t line = 0;

  // References (which one is set depends on the task).
  double ref_number = 0;                // calculation
  std::vector<std::string> ref_texts;   // report_generation, reg, vqa (one or more)
  int ref_class = -1;                   // multiclass: index into classes
  std::vector<std::uint8_t> ref_labels; // multilabel: multi-hot over classes
  Box ref_box;                          // rec, pixels
};

// What the model said about one sample, parsed by the sample's task. Never thrown: an answer that
// cannot be parsed is parsed=false and every metric scores it wrong. The answer's own text stays
// in its AnswerSet (the per-sample log reads it there): a copy per sample here cost 260 MB at
// 1,000,000 reports.
struct Prediction {
  bool present = false;  // a record existed in the predictions / journal
  bool parsed = false;   // the task's parser understood it
  std::string error;     // backend failure for this sample (present, not parsed)

  double number = 0;                 // calculation
  std::string text;                  // text answers, trimmed (report, reg, vqa)
  int class_index = -1;              // multiclass
  std::vector<std::uint8_t> labels;  // multilabel: multi-hot over Sample::classes
  Box box;                           // rec, converted to pixels
  int n_boxes = 0;                   // rec: boxes found in the answer (the first is used)
  std::string box_format;            // rec: grid the box was read in (resolved when "auto")
  std::string note;                  // why parsing failed, or what was assumed
};

// How a sample's answer counts: the results' n_samples and the per-sample log's status both come
// from here, so they cannot disagree.
enum class AnswerStatus { kScored, kUnparsed, kFailed, kMissing };
inline AnswerStatus answer_status(const Prediction& p) {
  if (!p.present) return AnswerStatus::kMissing;
  if (!p.error.empty()) return AnswerStatus::kFailed;
  return p.parsed ? AnswerStatus::kScored : AnswerStatus::kUnparsed;
}

}  // namespace imaxbench
