// Shared by the torchscript backend's unit and gpu tests: a Python with torch to run the export
// script, the demo package exported once per test binary, and requests prepared the way the
// harness prepares them (decoded image, plus resized pixels when the backend asks for them).
#pragma once

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "images/image_decode.h"
#include "images/preprocess.h"

namespace imaxbench::testing {

// A Python that imports torch: $IMAXBENCH_PYTHON, python3, then Debian's /usr/bin/python3 (a pyenv
// or venv python3 first on PATH often lacks torch). "" when none does.
inline std::string torch_python() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("IMAXBENCH_PYTHON")) candidates.emplace_back(env);
  candidates.emplace_back("python3");
  candidates.emplace_back("/usr/bin/python3");
  for (const auto& py : candidates)
    if (std::system(("'" + py + "' -c 'import torch' >/dev/null 2>&1").c_str()) == 0) return py;
  return "";
}

// Runs `python script args` with stdout+stderr into `log`; returns the exit status.
inline int run_python(const std::string& python, const std::string& script_and_args, const std::string& log) {
  return std::system(("'" + python + "' " + script_and_args + " >'" + log + "' 2>&1").c_str());
}

// Exports the demo package into `dir` (once per process and folder); "" on success, else why not.
inline std::string export_demo_package(const std::string& dir) {
  if (std::filesystem::exists(std::filesystem::path(dir) / "imaxbench-model.json")) return "";
  const std::string py = torch_python();
  if (py.empty()) return "no python3 with torch (apt-get install python3-torch, or set IMAXBENCH_PYTHON)";
  const std::string log = dir + ".export.log";
  const std::string script = std::string(IMAXBENCH_SOURCE_DIR) + "/models/export_demo_vlm.py";
  if (run_python(py, "'" + script + "' --out '" + dir + "'", log) != 0)
    return "models/export_demo_vlm.py failed; see " + log;
  std::filesystem::remove(log);
  return "";
}

// The demo package exported once per build folder and export-script version, shared by test
// processes (ctest runs each test in its own): exported to a private folder, then renamed into
// place; a process that loses the race uses the winner's. Sets `why_not` and returns "" on failure.
inline std::string shared_demo_package(std::string& why_not) {
  namespace fs = std::filesystem;
  std::string key;
  for (const char* f : {"/models/export_demo_vlm.py", "/models/demo_vlm.py",
                        "/models/tokenizers/radiology-bpe/tokenizer.json"}) {
    std::ifstream in(std::string(IMAXBENCH_SOURCE_DIR) + f, std::ios::binary);
    key += std::string(std::istreambuf_iterator<char>(in), {});
  }
  const fs::path dir = fs::path(IMAXBENCH_BINARY).parent_path() / "test-packages" /
                       ("demo-vlm-" + std::to_string(std::hash<std::string>{}(key)));
  if (fs::exists(dir / "imaxbench-model.json")) return dir.string();
  fs::create_directories(dir.parent_path());
  const std::string tmp = dir.string() + ".tmp-" + std::to_string(std::random_device{}());
  why_not = export_demo_package(tmp);
  if (!why_not.empty()) return "";
  std::error_code ec;
  fs::rename(tmp, dir, ec);
  if (ec) fs::remove_all(tmp, ec);  // another process got there first
  return dir.string();
}

// A smooth 12-bit gray image that differs per seed (sizes differ too, so resizing is exercised).
inline std::shared_ptr<GrayImage> synthetic_image(int seed) {
  auto img = std::make_shared<GrayImage>();
  img->width = 90 + 7 * seed;
  img->height = 80 + 5 * (seed % 4);
  img->max_value = 4095;
  img->format = "png";
  img->pixels.resize(static_cast<std::size_t>(img->width) * img->height);
  for (int y = 0; y < img->height; ++y)
    for (int x = 0; x < img->width; ++x) {
      const double v = 0.5 + 0.5 * std::sin(0.07 * (seed + 1) * x + 0.05 * y + seed);
      img->pixels[static_cast<std::size_t>(y) * img->width + x] = static_cast<std::uint16_t>(v * 4095);
    }
  return img;
}

// `n` requests with prompts of different lengths (left padding in a batch), prepared for `backend`.
inline std::vector<Request> demo_requests(const Backend& backend, int n) {
  static const char* kPrompts[] = {
      "Is there a pleural effusion?",
      "Describe the findings in this chest X-ray.",
      "What is the cardiothoracic ratio?",
      "Give me the location of the cardiac silhouette.",
      "Which of the following findings are present: atelectasis, cardiomegaly, consolidation, edema, "
      "pleural effusion, pneumonia, pneumothorax? Answer with a comma-separated list.",
      "Grade the pulmonary edema: none, vascular congestion, interstitial edema or alveolar edema.",
      "Is the heart enlarged?",
      "Describe the region {<10><20><50><60>}."};
  std::vector<Request> out;
  const auto spec = backend.image_spec();
  for (int i = 0; i < n; ++i) {
    Request r;
    r.index = static_cast<std::size_t>(i);
    r.id = "req-" + std::to_string(i);
    r.task = "vqa";
    r.prompt = kPrompts[i % 8];
    if (i >= 8) r.prompt += " Answer briefly.";
    r.image = synthetic_image(i);
    if (spec) {
      r.pixels.resize(static_cast<std::size_t>(spec->channels) * spec->width * spec->height);
      preprocess_gray_to_chw(*r.image, spec->width, spec->height, spec->mean, spec->std, spec->channels,
                             r.pixels.data());
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace imaxbench::testing
