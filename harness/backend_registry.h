// Every backend this build knows, by name: what `run`, `profile` and `list backends` pick from.
// It sits in the harness, above backends/, because one of them (baseline) answers from a gallery
// suite's references, which no backend may see (README "Architecture").
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "backends/backend.h"

namespace imaxbench {

struct BackendInfo {
  std::string_view name;
  std::string_view description;
  bool available;            // compiled in
  std::string_view why_not;  // when unavailable
  std::unique_ptr<Backend> (*make)(const BackendOptions& options);
  // Set for backends built into a module rather than imaxbench itself: where, and whether it is
  // there (`list backends`). Must not open the module.
  std::string (*location)() = nullptr;
};

std::span<const BackendInfo> all_backends();
// Throws UsageError naming the known backends, or Error when the backend is not compiled in. The
// backend gets `options` with check_conventions set to the tasks' check (tasks/model_conventions.h).
std::unique_ptr<Backend> make_backend(std::string_view name, const BackendOptions& options);

}  // namespace imaxbench
