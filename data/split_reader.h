// Reads one split file (docs/formats.md §1) into validated Samples. A bad record is counted invalid
// with a one-line message naming file, line, id and what to fix; with `strict` the first one
// throws instead. Image paths must stay inside the split's folder unless external images are allowed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "core/sample.h"

namespace imaxbench {

struct InvalidRecord {
  std::string message;  // file:line: id '...': problem
  std::string id;       // the record's id when it has one: answers to it are not answers to no record
};

struct SplitData {
  std::string path;
  std::string sha256;
  std::vector<Sample> samples;
  std::vector<InvalidRecord> invalid;
  std::size_t streamed = 0;  // valid samples handed to a SampleVisitor instead of kept
  std::size_t valid() const { return samples.size() + streamed; }
};

// Takes a valid sample, in file order, instead of the split keeping it; returns whether it counts
// as valid (false: the visitor found it invalid and reports it itself). For readers that only count
// (`inspect`): a kept sample takes about twice its record's text.
using SampleVisitor = std::function<bool(Sample&)>;

struct SplitOptions {
  bool strict = false;
  bool allow_external_images = false;
  bool check_images = true;  // open each image's header (existence, format, size)
};

// `task` is the suite entry's task; records of another task are invalid. Throws Error when the
// file cannot be read, DataError for the first bad record under `strict`. With `visit`, valid
// samples go to it, SplitData::samples stays empty and the file is read in pieces, never whole.
SplitData read_split(const std::string& path, const std::string& task, const SplitOptions& options,
                     const SampleVisitor& visit = {});

// Resolves the image paths of one split. Unless external images are allowed, a path must stay
// inside the split's folder: no absolute path, and the real location (".." and every symlink
// resolved, on canonical paths) under the folder's real location, however the folder was named.
class ImagePathResolver {
 public:
  ImagePathResolver(const std::string& split_dir, bool allow_external);
  // The path to open for `image` as written in the split, or "" with `problem` set.
  std::string resolve(const std::string& image, std::string& problem) const;

 private:
  // Whether root_/image, ".." and every symlink resolved, lies inside root_ (on strings: no
  // filesystem paths built and split per record).
  bool inside_root(const std::string& image) const;
  std::optional<std::string> real_folder(const std::string& folder) const;  // canonical, cached

  std::string dir_;
  std::string dir_prefix_;   // (dir_ / rel).lexically_normal() == dir_prefix_ + rel for a plain rel
                             // (components neither empty, "." nor "..")
  std::string root_prefix_;  // root_ with a trailing '/': what a path inside it starts with
  bool allow_external_;
  std::filesystem::path root_;  // canonical split folder; empty when it cannot be resolved
  // Each folder's real location (nullopt: it could not be resolved), looked up once; records are
  // resolved on several threads.
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::optional<std::string>> real_folders_;
};

}  // namespace imaxbench
