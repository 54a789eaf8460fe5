// Shared by the model package tests (torchscript_backend_test, llava_original_test): a package
// folder written from a manifest, and the error loading one gives.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "backends/model_package.h"
#include "core/error.h"
#include "test_files.h"

namespace imaxbench::testing {

inline const std::string kRadiologyTokenizer =
    std::string(IMAXBENCH_SOURCE_DIR) + "/models/tokenizers/radiology-bpe/tokenizer.json";

// A package folder holding `manifest`, an empty module file and the radiology tokenizer.
inline std::string write_package(const TempDir& dir, const nlohmann::json& manifest) {
  dir.write("pkg/imaxbench-model.json", manifest.dump(2));
  dir.write("pkg/model.pt", "");
  std::filesystem::copy_file(kRadiologyTokenizer, dir.path() + "/pkg/tokenizer.json",
                             std::filesystem::copy_options::overwrite_existing);
  return dir.path() + "/pkg";
}

// What load_model_package says about `manifest`, or "(no error)".
inline std::string load_error(const nlohmann::json& manifest) {
  TempDir dir;
  try {
    load_model_package(write_package(dir, manifest));
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace imaxbench::testing
