// What a model declares about how to talk to it (a torchscript package's `answer.box_format`,
// `prompts` and image geometry; docs/model-package.md), as plain data: a backend fills it in
// (backends/backend.h), and the tasks check it and complete a suite's options from it
// (tasks/model_conventions.h), so a backend never needs to know the tasks.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imaxbench {

// How a backend makes its input image from the original.
struct ModelInput {
  int width = 0, height = 0;  // the image the model sees, pixels
  int shortest_edge = 0;      // 0: stretched to width x height; else resized and centre-cropped
  bool pad_square = false;    // padded to a square before the shortest-edge resize (LLaVA's "pad")
  bool operator==(const ModelInput&) const = default;
};

struct ModelConventions {
  std::string source;      // where they were declared (the package manifest's path), for messages
  std::string box_format;  // answer.box_format; empty: none declared
  std::vector<std::pair<std::string, std::string>> prompts;  // task name -> prompt template
  std::optional<ModelInput> input;  // how the backend makes its input image from the original
};

}  // namespace imaxbench
