// Reads one split file (DESIGN.md §3.1) into validated Samples. A bad record is counted invalid
// with a one-line message naming file, line, id and what to fix; with `strict` the first one
// throws instead. Image paths must stay inside the split's folder unless external images are allowed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tasks/sample.h"

namespace imaxbench {

struct InvalidRecord {
  std::string message;  // file:line: id '...': problem
};

struct SplitData {
  std::string path;
  std::string sha256;
  std::vector<Sample> samples;
  std::vector<InvalidRecord> invalid;
};

struct SplitOptions {
  bool strict = false;
  bool allow_external_images = false;
  bool check_images = true;  // open each image's header (existence, format, size)
};

// `task` is the suite entry's task; records of another task are invalid. Throws Error when the
// file cannot be read, DataError for the first bad record under `strict`.
SplitData read_split(const std::string& path, const std::string& task, const SplitOptions& options);

// The resolved image path for `image` written in a split in `split_dir`, or a problem to report.
std::string resolve_image_path(const std::string& split_dir, const std::string& image,
                               bool allow_external, std::string& problem);

}  // namespace imaxbench
