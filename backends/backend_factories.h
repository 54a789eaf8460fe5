// Constructors of the built-in backends, for the table in harness/backend_registry.cc.
#pragma once

#include <memory>

#include "backends/backend.h"

namespace imaxbench {

std::unique_ptr<Backend> make_replay_backend(const BackendOptions& options);
#ifdef IMAXBENCH_HAVE_TORCH
std::unique_ptr<Backend> make_torchscript_backend(const BackendOptions& options);
#endif
#ifdef IMAXBENCH_HAVE_HTTP
std::unique_ptr<Backend> make_openai_backend(const BackendOptions& options);
#endif

}  // namespace imaxbench
