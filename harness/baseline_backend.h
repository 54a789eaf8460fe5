// The nearest-neighbour baseline (harness/baseline_backend.cc), for the registry. Only in builds
// with LibTorch, whose module holds its image index.
#pragma once

#include <memory>

#include "backends/backend.h"

namespace imaxbench {

#ifdef IMAXBENCH_HAVE_TORCH
std::unique_ptr<Backend> make_baseline_backend(const BackendOptions& options);
#endif

}  // namespace imaxbench
